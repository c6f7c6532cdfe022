/** The four roles of factuur. On AWS they are Cognito user pool groups; locally, groups of the demo users. */
export const roles = ['viewer', 'billing', 'operator', 'admin'] as const;
export type Role = (typeof roles)[number];
