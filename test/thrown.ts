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
