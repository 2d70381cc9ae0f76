// Nest 12 is ESM-only but @nestjs/throttler is CommonJS and require()s it. Evaluating Nest first
// keeps that require() out of the test file's module graph (Jest refuses require(esm) in a cycle).
import '@nestjs/common';
import '@nestjs/core';
