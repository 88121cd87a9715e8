// Permission checks shared by every service. Order matters: first "may the actor know this record
// exists?" (else 404, never a hint), then "may the actor do this here?" (else 403).
import { forbidden, notFound } from '../../app/errors.ts';
import type { Actor } from './actor.ts';
import type { Permission } from './roles.ts';

export function canSee(actor: Actor, institutionId: string): boolean {
  return actor.visible === 'all' || actor.visible.has(institutionId);
}

export function can(actor: Actor, permission: Permission, institutionId: string): boolean {
  const reach = actor.permissions.get(permission);
  if (!reach) return false;
  return reach === 'all' || reach.has(institutionId);
}

export function canAnywhere(actor: Actor, permission: Permission): boolean {
  return actor.permissions.has(permission);
}

export function assertCanAnywhere(actor: Actor, permission: Permission): void {
  if (!canAnywhere(actor, permission)) throw forbidden();
}

export function assertVisible(actor: Actor, institutionId: string, what?: { zh: string; en: string }): void {
  if (!canSee(actor, institutionId)) throw notFound(what);
}

export function assertCan(actor: Actor, permission: Permission, institutionId: string, what?: { zh: string; en: string }): void {
  assertVisible(actor, institutionId, what);
  if (!can(actor, permission, institutionId)) throw forbidden();
}

/** The institution IDs to filter a query by for a permission, or null when the reach is platform-wide. */
export function reachFilter(actor: Actor, permission: Permission): string[] | null {
  const reach = actor.permissions.get(permission);
  if (!reach) return [];
  return reach === 'all' ? null : [...reach];
}
