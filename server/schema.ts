/**
 * The hub's schema: the Kysely interface of its tables and their runtime twin, held equal to
 * what the hub's migrations (server/migrations/) create on SQLite and PostgreSQL by
 * test/integration/schema.test.ts. The hub relays changes and does not materialise rows, so
 * these are its own tables, not the laptops'.
 */
import type { Generated } from 'kysely';
import type { SchemaColumns } from '../db/columns';
import type { DistrictRole } from '../core/rules/permissions';

/** Key/value facts of the hub: its device id and keys, the admin token's hash, the region. */
export interface HubMetaTable {
  key: string;
  value: string;
}

export interface HubDistrictsTable {
  id: string;
  name: string;
  /** The district's id in the data (its `districts` row), once a laptop with data enrolled. */
  data_district_id: string | null;
  created_at: string;
}

export interface DevicesTable {
  id: string;
  district_id: string;
  name: string;
  public_key: string;
  enrolled_at: string;
  revoked_at: string | null;
  /** The hub sequence the device has received up to. */
  cursor: number;
  last_seen_at: string | null;
  /** The device's X25519 public key (SPKI PEM) replies are sealed to; null until a device enrolled before encryption announces it. */
  enc_key: string | null;
  /** Changes of the device up to this seq are the history it brought when bound to a coordinator account (server/accounts.ts). */
  history_upto: number;
}

/** One-time enrolment codes; only the hash of a code is kept. */
export interface EnrolCodesTable {
  code_hash: string;
  district_id: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
  used_by: string | null;
  /** For a code issued for an account (the account's role and person); null for a plain device code. */
  role: DistrictRole | null;
  person_id: string | null;
  account_id: string | null;
}

/** Every accepted change, stamped with the hub's own sequence. */
export interface HubChangesTable {
  server_seq: Generated<number>;
  /** '' for the region's reference data, which flows to every district. */
  district_id: string;
  device_id: string;
  device_seq: number;
  hlc: string;
  tbl: string;
  row_id: string;
  data: string;
  meta: string | null;
  /** The account that made the change (`a` on the wire); null from a device enrolled before accounts. */
  author: string | null;
}

export type { DistrictRole };

/** An account of a district: a person of its data with a role. */
export interface AccountsTable {
  id: string;
  district_id: string;
  person_id: string | null;
  role: DistrictRole;
  created_at: string;
  revoked_at: string | null;
}

/** Which accounts may author changes signed by which device (bound on enrolment with the account's code). */
export interface AccountDevicesTable {
  account_id: string;
  device_id: string;
  bound_at: string;
}

/** A change the hub refused (the permissions rule or an unconfirmed author): kept, not relayed, reported to its device. */
export interface RefusedChangesTable {
  device_id: string;
  device_seq: number;
  account_id: string | null;
  tbl: string;
  row_id: string;
  /** In Russian, as the laptop shows it. */
  reason: string;
  refused_at: string;
}

/** Package ids accepted (replay refusal). */
export interface PackagesTable {
  id: string;
  device_id: string;
  received_at: string;
}

/** Nonces of signed device requests, until their timestamp leaves the accepted window (replay refusal). */
export interface RequestNoncesTable {
  device_id: string;
  nonce: string;
  /** Milliseconds since the epoch (the request's timestamp plus the window). */
  expires_at: number;
}

/** A regional user of the region page: региональный администратор or региональный координатор (read-only). */
export interface RegionUsersTable {
  id: string;
  /** The sign-in name, unique as typed after trimming and lower-casing. */
  name: string;
  role: 'admin' | 'coordinator';
  /** `scrypt$N$r$p$salt$hash` (server/regionAccounts.ts). */
  password_hash: string;
  created_at: string;
  disabled_at: string | null;
}

/** A signed-in session of the region page; only the hash of its random id is kept. Times in ms. */
export interface RegionSessionsTable {
  id_hash: string;
  user_id: string;
  created_at: number;
  last_seen_at: number;
}

/** Failed sign-ins in a row per `name:<name>` and per `addr:<address>`; times in ms. */
export interface SignInFailuresTable {
  key: string;
  failures: number;
  last_failure_at: number;
  locked_until: number;
}

/** Who did what on the region's server: districts, codes, devices, accounts, enrolment by file, locked sign-ins. */
export interface AuditLogTable {
  id: Generated<number>;
  at: string;
  actor: string;
  action: string;
  detail: string;
}

/** The hub's schema history: one row per migration applied (server/migrations/). */
export interface HubSchemaTable {
  version: number;
  name: string;
  applied_at: string;
}

export interface HubDB {
  hub_meta: HubMetaTable;
  districts: HubDistrictsTable;
  devices: DevicesTable;
  enrol_codes: EnrolCodesTable;
  changes: HubChangesTable;
  packages: PackagesTable;
  request_nonces: RequestNoncesTable;
  accounts: AccountsTable;
  account_devices: AccountDevicesTable;
  refused_changes: RefusedChangesTable;
  region_users: RegionUsersTable;
  region_sessions: RegionSessionsTable;
  sign_in_failures: SignInFailuresTable;
  audit_log: AuditLogTable;
  hub_schema: HubSchemaTable;
}

/** The hub's schema at run time (see db/columns.ts); `integer` is bigint on PostgreSQL where the migrations say so. */
export const HUB_COLUMNS = {
  hub_meta: { key: 'text', value: 'text' },
  districts: { id: 'text', name: 'text', data_district_id: 'text?', created_at: 'text' },
  devices: {
    id: 'text', district_id: 'text', name: 'text', public_key: 'text', enrolled_at: 'text', revoked_at: 'text?', cursor: 'integer', last_seen_at: 'text?', enc_key: 'text?', history_upto: 'integer',
  },
  enrol_codes: {
    code_hash: 'text', district_id: 'text', created_at: 'text', expires_at: 'text', used_at: 'text?', used_by: 'text?',
    role: 'text?', person_id: 'text?', account_id: 'text?',
  },
  changes: {
    server_seq: 'integer', district_id: 'text', device_id: 'text', device_seq: 'integer', hlc: 'text', tbl: 'text', row_id: 'text', data: 'text', meta: 'text?', author: 'text?',
  },
  packages: { id: 'text', device_id: 'text', received_at: 'text' },
  request_nonces: { device_id: 'text', nonce: 'text', expires_at: 'integer' },
  accounts: { id: 'text', district_id: 'text', person_id: 'text?', role: 'text', created_at: 'text', revoked_at: 'text?' },
  account_devices: { account_id: 'text', device_id: 'text', bound_at: 'text' },
  refused_changes: { device_id: 'text', device_seq: 'integer', account_id: 'text?', tbl: 'text', row_id: 'text', reason: 'text', refused_at: 'text' },
  region_users: { id: 'text', name: 'text', role: 'text', password_hash: 'text', created_at: 'text', disabled_at: 'text?' },
  region_sessions: { id_hash: 'text', user_id: 'text', created_at: 'integer', last_seen_at: 'integer' },
  sign_in_failures: { key: 'text', failures: 'integer', last_failure_at: 'integer', locked_until: 'integer' },
  audit_log: { id: 'integer', at: 'text', actor: 'text', action: 'text', detail: 'text' },
  hub_schema: { version: 'integer', name: 'text', applied_at: 'text' },
} as const satisfies SchemaColumns<HubDB>;
