import type { Facts } from './facts';
import { emailDomain, isValidEmail, looksLikeEmail, type PropertyValue } from './values';

/** What a stored valid address keeps: its domain (the model reads no more of it). */
const KEPT_LOCAL_PART = 'redacted';
/** A stored invalid address: still invalid, nothing of it kept. */
const INVALID = 'invalid address (redacted)';

function redactValue(value: PropertyValue): PropertyValue {
  if (typeof value !== 'string' || !looksLikeEmail(value)) return value;
  if (!isValidEmail(value)) return INVALID;
  return `${KEPT_LOCAL_PART}@${emailDomain(value)}`;
}

/**
 * The facts as they are kept at rest: every e-mail address in the contact's properties is cut
 * to what the model reads of it (its domain, and whether it is valid): "ann@acme.com" becomes
 * "redacted@acme.com", "ann@" an invalid placeholder. Scoring the kept facts gives the same
 * results for the operators the model has on e-mail domains and validity.
 */
export function redactFacts(facts: Facts): Facts {
  const properties: Record<string, PropertyValue> = {};
  for (const [name, value] of Object.entries(facts.contact.properties))
    properties[name] = redactValue(value);
  return { ...facts, contact: { ...facts.contact, properties } };
}
