import { h001Initial } from './001_initial';
import { h002RequestNonces } from './002_request_nonces';
import { h003RegionAccounts } from './003_region_accounts';
import { h004Accounts } from './004_accounts';
import { h005DeviceEncKeys } from './005_device_enc_keys';
import { h006DeviceHistory } from './006_device_history';
import type { HubMigration } from './types';

export type { HubDialect, HubMigration } from './types';

/**
 * In-code provider of the hub's migrations, in ascending version order. Append only, with
 * a number above the highest: a region's live database at version N runs only those above N.
 */
export const HUB_MIGRATIONS: readonly HubMigration[] = [h001Initial, h002RequestNonces, h003RegionAccounts, h004Accounts, h005DeviceEncKeys, h006DeviceHistory];

export const LATEST_HUB_VERSION = Math.max(...HUB_MIGRATIONS.map((m) => m.version));

/** The tables of version 1: a database with them and no recorded version was made before migrations existed. */
export const VERSION_1_TABLES = ['hub_meta', 'districts', 'devices', 'enrol_codes', 'changes', 'packages'] as const;
