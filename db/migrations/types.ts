/** A numbered schema step. Statements run in order inside the start-up transaction. */
export interface Migration {
  version: number;
  name: string;
  up: readonly string[];
}
