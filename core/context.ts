import type { Store } from '../db/store';
import type { AppEvent } from './contract/events';

/** What a handler gets besides its input. */
export interface Ctx {
  store: Store;
  /** The data folder: the database, attachment blobs, exports. */
  dataDir: string;
  emit: (event: AppEvent) => void;
}
