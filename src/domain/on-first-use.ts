// A part of the wiring built on its first use, once (an import() there keeps that code off the cold
// start of a Lambda that may never need it, ADR 0020; a handler's config is read so). A failed
// build is not kept: the next use tries again.
export function onFirstUse<T>(build: () => Promise<T>): () => Promise<T> {
  let built: Promise<T> | undefined;
  return () =>
    (built ??= build().catch((error: unknown) => {
      built = undefined;
      throw error;
    }));
}
