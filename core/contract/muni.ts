/** Calls of this area; see core/contract/index.ts. */
export const muniContract = {};
