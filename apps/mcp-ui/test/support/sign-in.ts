import type { Agent, AgentResponse } from './agent.ts';

/** Signs the agent in through the gateway's /auth/login, following every hop; returns the hops. */
export async function signIn(agent: Agent, publicUrl: URL, returnTo = '/ui/'): Promise<AgentResponse[]> {
  return agent.follow(new URL(`/auth/login?returnTo=${encodeURIComponent(returnTo)}`, publicUrl));
}

/** GET /ui/api/me as the agent. */
export async function me(agent: Agent, publicUrl: URL): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await agent.request(new URL('/ui/api/me', publicUrl));
  return { status: response.status, body: JSON.parse(response.text) as Record<string, unknown> };
}
