/** What a signed-in user may do in the admin API, from most to least (permissions.ts maps actions to roles). */
export type UserRole = "owner" | "admin" | "member" | "viewer";

export const roles: readonly UserRole[] = ["owner", "admin", "member", "viewer"];
