/**
 * A CRM record's page in HubSpot: `objectTypeId` is HubSpot's type id (`0-1` contacts, `0-2`
 * companies). app.hubspot.com sends users of other data centres on to theirs.
 */
export function recordUrl(portalId: number, objectTypeId: string, id: string): string {
  return `https://app.hubspot.com/contacts/${portalId}/record/${objectTypeId}/${encodeURIComponent(id)}`;
}

/** A contact's record page. */
export const contactUrl = (portalId: number, contactId: string) =>
  recordUrl(portalId, '0-1', contactId);
