import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import { validationError } from './errors.js';

export const METADATA_LIMITS = { maxKeys: 50, maxKeyLength: 40, maxValueLength: 500 } as const;
const KEY_PATTERN = /^[A-Za-z0-9_.-]+$/;
// An appId everywhere it appears (metadata, keys, query scopes, configuration).
export const APP_ID_PATTERN = /^[a-z][a-z0-9-]{1,31}$/;
const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE_FIELDS = ['phoneNumber', 'businessPhone'] as const;

// Validates the free-form metadata map and returns it with phone numbers in E.164.
// Every error names the offending field as `metadata.<key>`.
export function normalizeMetadata(raw: unknown, country: string): Record<string, string> {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw validationError('metadata must be an object');
  }
  const entries = Object.entries(raw);
  if (entries.length > METADATA_LIMITS.maxKeys) {
    throw validationError(`metadata must have at most ${METADATA_LIMITS.maxKeys} keys`);
  }
  const metadata: Record<string, string> = {};
  for (const [key, value] of entries) {
    if (key.length > METADATA_LIMITS.maxKeyLength || !KEY_PATTERN.test(key)) {
      throw validationError(
        `metadata key "${key.slice(0, 60)}" must be 1-${METADATA_LIMITS.maxKeyLength} characters of A-Z a-z 0-9 _ . -`,
      );
    }
    if (typeof value !== 'string') throw validationError(`metadata.${key} must be a string`);
    if (value.length > METADATA_LIMITS.maxValueLength) {
      throw validationError(`metadata.${key} must be at most ${METADATA_LIMITS.maxValueLength} characters`);
    }
    metadata[key] = value;
  }
  requireAppId(metadata.appId);
  requireReferenceId(metadata.referenceId);
  if (metadata.customerEmail !== undefined && !EMAIL_PATTERN.test(metadata.customerEmail)) {
    throw validationError('metadata.customerEmail must be a valid email address');
  }
  for (const field of PHONE_FIELDS) {
    const value = metadata[field];
    if (value !== undefined) metadata[field] = toE164(value, country, `metadata.${field}`);
  }
  return metadata;
}

function requireAppId(appId: string | undefined): void {
  if (appId === undefined || appId === '') throw validationError('metadata.appId is required');
  if (!APP_ID_PATTERN.test(appId)) {
    throw validationError('metadata.appId must be 2-32 lower-case letters, digits or dashes, starting with a letter');
  }
}

function requireReferenceId(referenceId: string | undefined): void {
  if (referenceId === undefined || referenceId.trim() === '') {
    throw validationError('metadata.referenceId is required');
  }
  if (referenceId.length > 128) throw validationError('metadata.referenceId must be at most 128 characters');
}

// Benin moved every number from 8 to 10 digits (prefix "01") on 2024-11-30; the seed's examples
// and many stored contacts still use the old form, which gateways now reject. Upgrade them.
function upgradeLegacyBeninNumber(e164: string): string {
  return /^\+229\d{8}$/.test(e164) ? `+22901${e164.slice(4)}` : e164;
}

export function toE164(value: string, country: string, field: string): string {
  const parsed = parsePhoneNumberFromString(value, country as CountryCode);
  if (!parsed) throw validationError(`${field} must be a phone number, e.g. +2290161000000`);
  const candidate = parsePhoneNumberFromString(upgradeLegacyBeninNumber(parsed.number));
  if (!candidate?.isValid()) throw validationError(`${field} is not a valid phone number`);
  return candidate.number;
}
