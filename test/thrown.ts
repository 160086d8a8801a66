/**
 * The error `run` throws, checked to be a `type` (the test fails when `run` returns or throws something else), so
 * that a test can assert on its message and fields.
 */
export function thrownBy<E extends Error>(run: () => unknown, type: abstract new (...args: never[]) => E): E {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(type);
    return error as E;
  }
  throw new Error(`expected a ${type.name}`);
}

/** The error `run` rejects with, checked to be a `type` (the test fails when it resolves or rejects otherwise). */
export async function rejectionOf<E extends Error>(
  run: Promise<unknown>,
  type: abstract new (...args: never[]) => E,
): Promise<E> {
  const outcome = await run.then(
    () => ({ resolved: true as const }),
    (error: unknown) => ({ resolved: false as const, error }),
  );
  if (outcome.resolved) throw new Error(`expected a ${type.name}`);
  expect(outcome.error).toBeInstanceOf(type);
  return outcome.error as E;
}
