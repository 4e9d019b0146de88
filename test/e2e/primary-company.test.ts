import { Client, AssociationTypes } from '@hubspot/api-client';
import { AssociationSpecAssociationCategoryEnum } from '@hubspot/api-client/lib/codegen/crm/associations/v4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../../src/demo/stack';
import { backfillDone, testStack, until } from '../support/stack';
import { BACKEND_URL, backendFetch } from '../support/ui';

let stack: Stack;
let person: Client;

beforeAll(async () => {
  stack = await testStack('primary-company', { contacts: 60 });
  await stack.install();
  await backfillDone(stack);
  person = new Client({ accessToken: stack.personToken, basePath: stack.sandbox.url });
});
afterAll(() => stack.close());

describe('a contact with two companies is scored with its primary one', () => {
  it('the company made primary later (a higher id) is the one scored, and the card names it', async () => {
    const portal = stack.sandbox.state.portal(stack.portalId);
    const contact = [...portal.all('contacts')].find(
      (c) => portal.associations.list('contacts', c.id, 'companies').length === 1,
    )!;
    const firstCompany = portal.associations.list('contacts', contact.id, 'companies')[0]![0];
    const created = await person.crm.companies.basicApi.create({
      properties: {
        name: 'Second Primary Inc',
        industry: 'COMPUTER_SOFTWARE',
        numberofemployees: '800',
      },
      associations: [],
    });
    const scoredBefore = (await stack.runtime.scores.get(stack.portalId, contact.id))!.scoredAt;
    // A person makes the new company the contact's primary one (the old stays associated).
    await person.crm.associations.v4.basicApi.create(
      'contacts',
      contact.id,
      'companies',
      created.id,
      [
        {
          associationCategory: AssociationSpecAssociationCategoryEnum.HubspotDefined,
          associationTypeId: AssociationTypes.primaryContactToCompany,
        },
      ],
    );
    expect(portal.associations.list('contacts', contact.id, 'companies').map(([id]) => id)).toEqual(
      [firstCompany, created.id],
    );
    await until('the contact to be rescored', async () => {
      const q = await stack.runtime.scores.get(stack.portalId, contact.id);
      return q !== null && q.scoredAt > scoredBefore;
    });
    const view = (await (
      await backendFetch(stack)(`${BACKEND_URL}/api/card/contacts/${contact.id}`)
    ).json()) as { company: { id: string; name: string } | null };
    expect(view.company).toEqual({ id: created.id, name: 'Second Primary Inc' });
  });
});
