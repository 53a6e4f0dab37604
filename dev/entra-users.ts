/**
 * The people who can sign in at the Entra stand-in, with the app roles the API's registration assigns them
 * (Entra puts them in the access token's `roles` claim; a user with none gets no `roles` claim), and the
 * applications that get tokens for themselves. The roles are those of `auth.appRoles` in servers.json: Ada may
 * use everything, Grace reads HubSpot, Alan holds no role (every signed-in person still reaches mcp-example).
 * Add a person here to test another combination of roles; the sign-in page offers everyone in this list.
 */

export interface StandInUser {
  /** Object id (Entra `oid`, stable across apps); the stand-in also uses it as `sub`. */
  oid: string;
  /** Short handle for tests and the sign-in form. */
  id: string;
  name: string;
  email: string;
  /** App role values of the API registration assigned to this person. */
  roles: string[];
}

export const STAND_IN_USERS: readonly StandInUser[] = [
  { oid: '0d8e6a3c-5f1b-4c2e-9a7d-1e2f3a4b5c01', id: 'ada', name: 'Ada Lovelace (dev)', email: 'ada@example.test', roles: ['HubSpot.Write', 'SQL.Read'] },
  { oid: '0d8e6a3c-5f1b-4c2e-9a7d-1e2f3a4b5c02', id: 'grace', name: 'Grace Hopper', email: 'grace@example.test', roles: ['HubSpot.Read'] },
  { oid: '0d8e6a3c-5f1b-4c2e-9a7d-1e2f3a4b5c03', id: 'alan', name: 'Alan Turing', email: 'alan@example.test', roles: [] },
];

/** The person tests sign in as when they do not care who: the first of the list. */
export const DEV_USER: StandInUser = STAND_IN_USERS[0]!;

/** An application with a client secret (in the dev Secret of its name) and the app roles granted to it. */
export interface StandInApplication {
  clientId: string;
  roles: string[];
}

/** `dev-cli` holds no role (every server refuses it); `reporting-job` holds SQL.Read, which allows applications. */
export const STAND_IN_APPLICATIONS: readonly StandInApplication[] = [
  { clientId: 'dev-cli', roles: [] },
  { clientId: 'reporting-job', roles: ['SQL.Read'] },
];
