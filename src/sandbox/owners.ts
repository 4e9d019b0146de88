import { validation } from './hubspot-error';
import type { Portal } from './portal';

/**
 * A portal's users as the owners API shows them (https://developers.hubspot.com/docs/api-reference/latest/crm/owners/guide:
 * id, userId, email, names, teams with the primary one, archived) and as the user provisioning
 * API shows their seats (`seatNames`, settings/users 2026-09 in HubSpot's public API specs).
 */
export interface SandboxOwner {
  id: string;
  userId: number;
  email: string;
  firstName: string;
  lastName: string;
  teams: Array<{ id: string; name: string; primary: boolean }>;
  /** Paid seats assigned to the user ("Sales Hub Professional", "Core"); none: a view-only user. */
  seats: string[];
  archived: boolean;
  createdAt: number;
  updatedAt: number;
}

export interface OwnerInput {
  email: string;
  firstName: string;
  lastName: string;
  /** Team names; the first is the primary team. Teams are made on first use. */
  teams?: string[];
  seats?: string[];
  availability?: 'available' | 'away';
}

/** The users and teams of one portal. Each user also has a CRM user record (its availability). */
export class Staff {
  private readonly owners = new Map<string, SandboxOwner>();
  private readonly teams = new Map<string, { id: string; name: string }>();
  private nextOwnerId: number;
  private nextUserId: number;
  private nextTeamId: number;

  private readonly portal: Portal;

  constructor(portal: Portal) {
    this.portal = portal;
    this.nextOwnerId = 70_000_001 + (portal.id % 1000) * 1000;
    this.nextUserId = 50_000_001 + (portal.id % 1000) * 1000;
    this.nextTeamId = 40_001 + (portal.id % 1000) * 100;
  }

  add(input: OwnerInput): SandboxOwner {
    if (this.all().some((o) => o.email.toLowerCase() === input.email.toLowerCase()))
      throw validation(`A user with the email ${input.email} already exists.`);
    const at = this.portal.now();
    const names = input.teams ?? [];
    const owner: SandboxOwner = {
      id: String(this.nextOwnerId++),
      userId: this.nextUserId++,
      email: input.email,
      firstName: input.firstName,
      lastName: input.lastName,
      teams: names.map((name, k) => ({ ...this.team(name), primary: k === 0 })),
      seats: input.seats ?? [],
      archived: false,
      createdAt: at,
      updatedAt: at,
    };
    this.owners.set(owner.id, owner);
    this.portal.insert('users', {
      hs_internal_user_id: String(owner.userId),
      hs_email: owner.email,
      hs_given_name: owner.firstName,
      hs_family_name: owner.lastName,
      hs_availability_status: input.availability ?? 'available',
    });
    return owner;
  }

  /** A team by name, made on first use. */
  team(name: string): { id: string; name: string } {
    const existing = [...this.teams.values()].find((t) => t.name === name);
    if (existing) return existing;
    const team = { id: String(this.nextTeamId++), name };
    this.teams.set(team.id, team);
    return team;
  }

  allTeams(): Array<{ id: string; name: string }> {
    return [...this.teams.values()];
  }

  all(archived = false): SandboxOwner[] {
    return [...this.owners.values()].filter((o) => o.archived === archived);
  }

  get(id: string): SandboxOwner | undefined {
    const owner = this.owners.get(id);
    return owner && !owner.archived ? owner : undefined;
  }

  byUserId(userId: number): SandboxOwner | undefined {
    return this.all().find((o) => o.userId === userId);
  }

  /** The user's CRM user record (its availability), by the user's id. */
  userRecord(userId: number) {
    for (const u of this.portal.all('users'))
      if (u.properties['hs_internal_user_id'] === String(userId)) return u;
    return undefined;
  }

  /** What an admin changes in the user's settings: seats, availability, deactivation. */
  change(
    id: string,
    change: { seats?: string[]; availability?: 'available' | 'away'; archived?: boolean },
  ): SandboxOwner {
    const owner = this.owners.get(id);
    if (!owner) throw validation(`No owner ${id} in this portal.`);
    if (change.seats) owner.seats = change.seats;
    if (change.archived !== undefined) owner.archived = change.archived;
    owner.updatedAt = this.portal.now();
    const record = this.userRecord(owner.userId);
    if (change.availability && record)
      this.portal.update(
        'users',
        record.id,
        { hs_availability_status: change.availability },
        { changeSource: 'CRM_UI', sourceId: `userId:${owner.userId}` },
      );
    return owner;
  }
}
