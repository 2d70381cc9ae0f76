// A part of the wiring built on its first use, once: its import() keeps that code off the cold
// start of a Lambda that may never need it (ADR 0020). A failed build is tried again next time.
export function onFirstUse<T>(build: () => Promise<T>): () => Promise<T> {
  let built: Promise<T> | undefined;
  return () =>
    (built ??= build().catch((error: unknown) => {
      built = undefined;
      throw error;
    }));
}
