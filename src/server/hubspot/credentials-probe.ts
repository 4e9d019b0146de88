import type { Logger } from '../logger';
import type { CredentialsAlarmStore } from '../storage/credentials-alarm';
import type { InstallationStore } from '../storage/installation-store';
import { ClientRejectedError } from './oauth-client';
import type { TokenManager } from './token-manager';

/**
 * At a worker's start, while the credentials alarm is up (the last deploy had a wrong client
 * secret): asks for the portals' tokens until a refresh tells whether this deploy's credentials
 * are right. Right, the incident ends at once (every portal catches up); still wrong, the alarm
 * stays. Without this a fixed deploy would wait for the next webhook or card to find out.
 */
export async function probeCredentials(deps: {
  alarm: CredentialsAlarmStore;
  installations: InstallationStore;
  tokens: TokenManager;
  logger: Logger;
}): Promise<'no incident' | 'restored' | 'still refused' | 'not decided'> {
  if (!(await deps.alarm.read())) return 'no incident';
  for (const portalId of await deps.installations.activePortals()) {
    try {
      // A token still valid is no test of the credentials: the next portal is tried.
      await deps.tokens.accessToken(portalId);
    } catch (error) {
      if (error instanceof ClientRejectedError) return 'still refused';
      deps.logger.warn({ portalId, err: String(error) }, 'credentials probe: portal skipped');
      continue;
    }
    if (!(await deps.alarm.read())) return 'restored';
  }
  return 'not decided';
}
