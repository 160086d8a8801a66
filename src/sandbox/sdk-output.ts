/** What an SDK command returns, without the response metadata a fake has no use for. */
export type Output<T> = Omit<T, '$metadata'>;

/** The metadata SDK exception constructors require. */
export const meta = { $metadata: {} };
