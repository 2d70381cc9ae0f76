export default function globalTeardown() {
  globalThis.__dynamoLocal?.kill();
}
