// People and their roles (PRT-2, PRT-3, 三员分立). Role changes are audited, refusals included.
import { type ExpressionBuilder, sql } from 'kysely';
import { badRequest, conflict, forbidden, notFound, ruleViolation } from '../../app/errors.ts';
import type { Db, Executor } from '../../db/database.ts';
import { uuidv7 } from '../../db/ids.ts';
import type { Database } from '../../db/schema.ts';
import { recordAudit } from '../audit/audit.recorder.ts';
import { setPassword } from '../auth/password-store.ts';
import { generatePassword } from '../auth/passwords.ts';
import type { SettingsService } from '../settings/settings.service.ts';
import { assertCan, assertCanAnywhere, assertVisible, can, reachFilter } from './access.ts';
import { subtreesOf } from './actor.repo.ts';
import type { Actor } from './actor.ts';
import { mapUniqueViolation } from './db-errors.ts';
import type { RoleAssign, RoleAssignment, User, UserCreate, UserQuery, UserUpdate } from './org.schemas.ts';
import { ASSIGNABLE_BY, DUTY_GROUP_LABELS, dutyConflict, isRole, PRIVILEGED_ROLES, ROLE_INSTITUTION_KINDS, ROLE_LABELS, type Role } from './roles.ts';

const WHAT = { zh: '用户', en: 'User' };
const NIL = '00000000-0000-0000-0000-000000000000';

const usernameTaken = () => conflict('USERNAME_TAKEN', '用户名已被使用', 'This user name is taken', { field: 'username' });

/** The schema allows any 1–100 characters; a name of only spaces would be stored as ''. */
function nonBlank(value: string, field: string): string {
  const trimmed = value.trim();
  if (!trimmed) throw badRequest('VALIDATION_FAILED', `字段 ${field} 不能为空`, `Field ${field} must not be blank`, { field, in: 'body', rule: 'blank' });
  return trimmed;
}

/** Users employed by, or holding a role at, one of the institutions `ids` (null: no limit). Used with an actor's user.read reach (who they may read) and with what they can see (who they may know exists). */
function userReach(ids: string[] | null) {
  return (eb: ExpressionBuilder<Database, 'users'>) =>
    ids === null
      ? eb.val(true)
      : eb.or([
          eb('users.institution_id', 'in', ids.length ? ids : [NIL]),
          eb.exists(
            eb
              .selectFrom('role_assignments as ra')
              .select('ra.id')
              .whereRef('ra.user_id', '=', 'users.id')
              .where('ra.institution_id', 'in', ids.length ? ids : [NIL]),
          ),
        ]);
}

export class UsersService {
  constructor(
    private readonly db: Db,
    private readonly settings: SettingsService,
  ) {}

  private async toDtos(db: Executor, rows: { id: string }[]): Promise<User[]> {
    if (rows.length === 0) return [];
    const ids = rows.map((r) => r.id);
    const users = await db
      .selectFrom('users')
      .innerJoin('institutions as i', 'i.id', 'users.institution_id')
      .select([
        'users.id',
        'users.username',
        'users.display_name',
        'users.institution_id',
        'i.name as institution_name',
        'i.kind as institution_kind',
        'users.email',
        'users.phone',
        'users.status',
        'users.totp_enabled_at',
        'users.locked_until',
        'users.password_changed_at',
        'users.last_login_at',
        'users.created_at',
      ])
      .where('users.id', 'in', ids)
      .execute();
    const roles = await db
      .selectFrom('role_assignments as r')
      .innerJoin('institutions as i', 'i.id', 'r.institution_id')
      .select(['r.id', 'r.user_id', 'r.role', 'r.institution_id', 'i.name', 'r.created_at'])
      .where('r.user_id', 'in', ids)
      .orderBy('r.created_at')
      .execute();
    const byId = new Map(users.map((u) => [u.id, u]));
    const now = Date.now();
    return ids
      .map((id) => byId.get(id))
      .filter((u): u is NonNullable<typeof u> => !!u)
      .map((u) => ({
        id: u.id,
        username: u.username,
        displayName: u.display_name,
        institutionId: u.institution_id,
        institutionName: u.institution_name,
        institutionKind: u.institution_kind as User['institutionKind'],
        email: u.email,
        phone: u.phone,
        status: u.status as User['status'],
        totpEnabled: u.totp_enabled_at !== null,
        locked: !!u.locked_until && u.locked_until.getTime() > now,
        lockedUntil: u.locked_until && u.locked_until.getTime() > now ? u.locked_until.toISOString() : null,
        passwordChangedAt: u.password_changed_at.toISOString(),
        lastLoginAt: u.last_login_at?.toISOString() ?? null,
        roles: roles
          .filter((r) => r.user_id === u.id)
          .map((r) => ({ id: r.id, role: r.role as Role, institutionId: r.institution_id, institutionName: r.name, createdAt: r.created_at.toISOString() })),
        createdAt: u.created_at.toISOString(),
      }));
  }

  async list(actor: Actor, query: UserQuery) {
    assertCanAnywhere(actor, 'user.read');
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? 20;
    let q = this.db.selectFrom('users').where(userReach(reachFilter(actor, 'user.read')));
    if (query.q) {
      const like = `%${query.q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
      q = q.where((eb) => eb.or([eb('users.username', 'ilike', like), eb('users.display_name', 'ilike', like), eb('users.email', 'ilike', like)]));
    }
    if (query.institutionId) {
      const inst = query.institutionId;
      q = q.where((eb) =>
        eb.or([
          eb('users.institution_id', '=', inst),
          eb.exists(eb.selectFrom('role_assignments as rf').select('rf.id').whereRef('rf.user_id', '=', 'users.id').where('rf.institution_id', '=', inst)),
        ]),
      );
    }
    if (query.role) {
      const role = query.role;
      q = q.where((eb) =>
        eb.exists(eb.selectFrom('role_assignments as rr').select('rr.id').whereRef('rr.user_id', '=', 'users.id').where('rr.role', '=', role)),
      );
    }
    if (query.status) q = q.where('users.status', '=', query.status);
    const { total } = await q.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
    const rows = await q
      .select('users.id')
      .orderBy('users.username')
      .limit(pageSize)
      .offset((page - 1) * pageSize)
      .execute();
    return { items: await this.toDtos(this.db, rows), total: Number(total), page, pageSize };
  }

  /**
   * Loads a user whose record the actor may know exists, or 404: employed by, or holding a role at, an
   * institution the actor can see (access.ts: out of scope is 404). Whether the actor may read or change the
   * record is the caller's next check, and a refusal there is 403.
   */
  private async knownUser(db: Executor, actor: Actor, id: string) {
    const row = await db
      .selectFrom('users')
      .select(['users.id', 'users.username', 'users.institution_id', 'users.status'])
      .where('users.id', '=', id)
      .where(userReach(actor.userId === id || actor.visible === 'all' ? null : [...actor.visible]))
      .executeTakeFirst();
    if (!row) throw notFound(WHAT);
    return row;
  }

  /**
   * Whether one of the actor's grants may hand out `role` at `institutionId`. Each grant counts on its own:
   * the role it lists AND its own subtree. Two grants never combine (an institution_admin at A who is also
   * authority_admin at B may not make institution_admins at A: neither grant alone allows that).
   */
  private async grantAllows(actor: Actor, role: Role, institutionId: string): Promise<boolean> {
    if (!can(actor, 'role.assign', institutionId)) return false;
    const grants = actor.roles.filter((g) => ASSIGNABLE_BY[g.role].includes(role));
    if (grants.some((g) => g.role === 'platform_admin')) return true;
    if (grants.length === 0) return false;
    const trees = await subtreesOf(this.db, [...new Set(grants.map((g) => g.institutionId))]);
    return grants.some((g) => trees.get(g.institutionId)?.has(institutionId) ?? false);
  }

  /**
   * Changing someone's account (profile, status, password, lock) needs user.manage at their institution and,
   * for anyone but oneself, the right to assign every role they hold where they hold it: otherwise an
   * administrator could disable, or reset the password of, someone above them (a district admin the city's
   * authority_admin employed in the district, an authority_admin the platform administrator).
   */
  private async assertMayManage(db: Executor, actor: Actor, target: { id: string; institution_id: string }) {
    if (!can(actor, 'user.manage', target.institution_id)) throw forbidden();
    if (target.id === actor.userId) return;
    const held = await db.selectFrom('role_assignments').select(['role', 'institution_id']).where('user_id', '=', target.id).execute();
    for (const h of held) {
      if (!isRole(h.role) || !(await this.grantAllows(actor, h.role, h.institution_id))) {
        throw forbidden(
          `该用户担任您无权分配的角色“${isRole(h.role) ? ROLE_LABELS[h.role].zh : h.role}”，您不能管理其账号`,
          `The user holds a role you may not assign (${isRole(h.role) ? ROLE_LABELS[h.role].en : h.role}); you cannot manage the account`,
        );
      }
    }
  }

  async get(actor: Actor, id: string): Promise<User> {
    await this.knownUser(this.db, actor, id);
    if (actor.userId !== id) {
      const readable = await this.db
        .selectFrom('users')
        .select('users.id')
        .where('users.id', '=', id)
        .where(userReach(reachFilter(actor, 'user.read')))
        .executeTakeFirst();
      if (!readable) throw forbidden();
    }
    const [dto] = await this.toDtos(this.db, [{ id }]);
    return dto as User;
  }

  async create(actor: Actor, body: UserCreate): Promise<{ user: User; initialPassword: string }> {
    assertCan(actor, 'user.manage', body.institutionId, { zh: '所属机构', en: 'Institution' });
    const displayName = nonBlank(body.displayName, 'displayName');
    const policy = await this.settings.securityPolicy();
    const password = body.password ?? generatePassword();
    const work = this.db.transaction().execute(async (trx) => {
      // A platform-wide actor sees every ID, including ones that do not exist: 404, not a foreign-key 500.
      const home = await trx.selectFrom('institutions').select('id').where('id', '=', body.institutionId).executeTakeFirst();
      if (!home) throw notFound({ zh: '所属机构', en: 'Institution' });
      const taken = await trx.selectFrom('users').select('id').where(sql<string>`lower(username)`, '=', body.username.toLowerCase()).executeTakeFirst();
      if (taken) throw usernameTaken();
      const id = uuidv7();
      await trx
        .insertInto('users')
        .values({
          id,
          username: body.username,
          display_name: displayName,
          institution_id: body.institutionId,
          email: body.email ?? null,
          phone: body.phone ?? null,
          password_hash: '!',
        })
        .execute();
      // The first password is set by someone else: the person must choose their own at first login.
      await setPassword(trx, { id, username: body.username }, password, policy, { mustChange: true, checkHistory: false });
      await recordAudit(trx, actor, {
        action: 'org.user.create',
        target: { type: 'user', id, institutionId: body.institutionId },
        details: { username: body.username },
      });
      const [user] = await this.toDtos(trx, [{ id }]);
      return { user: user as User, initialPassword: password };
    });
    return mapUniqueViolation(work, { users_username_uq: usernameTaken });
  }

  async update(actor: Actor, id: string, body: UserUpdate): Promise<User> {
    const target = await this.knownUser(this.db, actor, id);
    await this.assertMayManage(this.db, actor, target);
    if (id === actor.userId && body.status === 'disabled') {
      throw ruleViolation('CANNOT_DISABLE_SELF', '不能停用自己的账号', 'You cannot disable your own account');
    }
    const displayName = body.displayName !== undefined ? nonBlank(body.displayName, 'displayName') : undefined;
    return this.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('users')
        .set({
          ...(displayName !== undefined ? { display_name: displayName } : {}),
          ...(body.email !== undefined ? { email: body.email } : {}),
          ...(body.phone !== undefined ? { phone: body.phone } : {}),
          ...(body.status !== undefined ? { status: body.status } : {}),
          updated_at: new Date(),
        })
        .where('id', '=', id)
        .execute();
      if (body.status === 'disabled') await this.endSessions(trx, id, 'account_disabled');
      await recordAudit(trx, actor, {
        action: body.status && body.status !== target.status ? `org.user.${body.status === 'disabled' ? 'disable' : 'enable'}` : 'org.user.update',
        target: { type: 'user', id, institutionId: target.institution_id },
        details: { fields: Object.keys(body) },
      });
      const [user] = await this.toDtos(trx, [{ id }]);
      return user as User;
    });
  }

  private async endSessions(trx: Executor, userId: string, reason: string) {
    await trx.updateTable('sessions').set({ ended_at: new Date(), end_reason: reason }).where('user_id', '=', userId).where('ended_at', 'is', null).execute();
  }

  async resetPassword(actor: Actor, id: string): Promise<{ temporaryPassword: string }> {
    const target = await this.knownUser(this.db, actor, id);
    await this.assertMayManage(this.db, actor, target);
    if (id === actor.userId) throw ruleViolation('USE_OWN_PASSWORD_CHANGE', '请在“我的安全设置”中修改自己的密码', 'Change your own password under My security');
    const policy = await this.settings.securityPolicy();
    const temporaryPassword = generatePassword();
    await this.db.transaction().execute(async (trx) => {
      await setPassword(trx, target, temporaryPassword, policy, { mustChange: true, checkHistory: false });
      await trx.updateTable('users').set({ failed_logins: 0, locked_until: null }).where('id', '=', id).execute();
      await this.endSessions(trx, id, 'password_reset');
      await recordAudit(trx, actor, { action: 'org.user.reset_password', target: { type: 'user', id, institutionId: target.institution_id } });
    });
    return { temporaryPassword };
  }

  async unlock(actor: Actor, id: string): Promise<User> {
    const target = await this.knownUser(this.db, actor, id);
    await this.assertMayManage(this.db, actor, target);
    return this.db.transaction().execute(async (trx) => {
      await trx.updateTable('users').set({ failed_logins: 0, locked_until: null }).where('id', '=', id).execute();
      await recordAudit(trx, actor, { action: 'org.user.unlock', target: { type: 'user', id, institutionId: target.institution_id } });
      const [user] = await this.toDtos(trx, [{ id }]);
      return user as User;
    });
  }

  /** Assigns a role at an institution. Refusals of rules (PRT-3, 三员) are audited as denied. */
  async assignRole(actor: Actor, userId: string, body: RoleAssign): Promise<RoleAssignment> {
    const target = await this.knownUser(this.db, actor, userId);
    assertCan(actor, 'role.assign', body.institutionId, { zh: '机构', en: 'Institution' });
    const role = body.role;
    if (userId === actor.userId) throw forbidden('不能给自己分配角色', 'You cannot assign roles to yourself', 'SELF_ASSIGNMENT');
    if (!(await this.grantAllows(actor, role, body.institutionId))) {
      throw forbidden(`您无权分配“${ROLE_LABELS[role].zh}”角色`, `You may not assign the role ${ROLE_LABELS[role].en}`);
    }

    const [home, scope] = await Promise.all([
      this.db.selectFrom('institutions').select(['kind', 'name']).where('id', '=', target.institution_id).executeTakeFirstOrThrow(),
      this.db.selectFrom('institutions').select(['kind', 'name', 'status']).where('id', '=', body.institutionId).executeTakeFirst(),
    ]);
    if (!scope) throw notFound({ zh: '机构', en: 'Institution' });
    const auditTarget = { type: 'user', id: userId, institutionId: target.institution_id };
    const deny = async (code: string, zh: string, en: string, details: Record<string, unknown>) => {
      await recordAudit(this.db, actor, {
        action: 'org.role.assign',
        outcome: 'denied',
        target: auditTarget,
        details: { role, institutionId: body.institutionId, reason: code, ...details },
      });
      return ruleViolation(code, zh, en, details);
    };

    // PRT-3 (GZ-20): top administrator rights stay with the institution's own staff, never a vendor's.
    // Checked first: it holds wherever the role would sit, so it is the reason to give.
    if (home.kind === 'vendor' && PRIVILEGED_ROLES.has(role)) {
      throw await deny(
        'VENDOR_PRIVILEGED_ROLE',
        `外包服务商人员不得担任特权角色“${ROLE_LABELS[role].zh}”（${home.name}）`,
        `Vendor staff cannot hold the privileged role ${ROLE_LABELS[role].en} (${home.name})`,
        { vendor: home.name },
      );
    }
    if (!ROLE_INSTITUTION_KINDS[role].includes(scope.kind as never)) {
      throw await deny(
        'ROLE_NOT_ALLOWED_HERE',
        `“${ROLE_LABELS[role].zh}”角色不能设在${scope.name}`,
        `The role ${ROLE_LABELS[role].en} cannot be held at ${scope.name}`,
        {
          institutionKind: scope.kind,
        },
      );
    }
    return this.db.transaction().execute(async (trx) => {
      // Lock the person's row so two concurrent assignments cannot both pass the separation check.
      await trx.selectFrom('users').select('id').where('id', '=', userId).forUpdate().execute();
      const held = await trx.selectFrom('role_assignments').select(['role', 'institution_id']).where('user_id', '=', userId).execute();
      if (held.some((h) => h.role === role && h.institution_id === body.institutionId)) {
        throw conflict('ROLE_ALREADY_ASSIGNED', '该用户在此机构已有此角色', 'The user already holds this role here');
      }
      const clash = dutyConflict(
        held.map((h) => h.role),
        role,
      );
      if (clash) {
        const g = DUTY_GROUP_LABELS[clash.group as keyof typeof DUTY_GROUP_LABELS];
        throw await deny(
          'SOD_CONFLICT',
          `三员分立：该用户已担任“${ROLE_LABELS[clash.heldRole].zh}”（${g.zh}），不能再担任“${ROLE_LABELS[role].zh}”`,
          `Separation of duties: the user already holds ${ROLE_LABELS[clash.heldRole].en} (${g.en}) and cannot also hold ${ROLE_LABELS[role].en}`,
          { heldRole: clash.heldRole },
        );
      }
      const id = uuidv7();
      const row = await trx
        .insertInto('role_assignments')
        .values({ id, user_id: userId, role, institution_id: body.institutionId, granted_by: actor.userId })
        .returning(['id', 'created_at'])
        .executeTakeFirstOrThrow();
      await recordAudit(trx, actor, {
        action: 'org.role.assign',
        target: auditTarget,
        details: { assignmentId: id, role, institutionId: body.institutionId },
      });
      return { id, role, institutionId: body.institutionId, institutionName: scope.name, createdAt: row.created_at.toISOString() };
    });
  }

  async removeRole(actor: Actor, userId: string, assignmentId: string): Promise<void> {
    const target = await this.knownUser(this.db, actor, userId);
    const a = await this.db.selectFrom('role_assignments').selectAll().where('id', '=', assignmentId).where('user_id', '=', userId).executeTakeFirst();
    if (!a) throw notFound({ zh: '角色', en: 'Role assignment' });
    assertVisible(actor, a.institution_id, { zh: '角色', en: 'Role assignment' });
    assertCan(actor, 'role.assign', a.institution_id, { zh: '角色', en: 'Role assignment' });
    if (userId === actor.userId) throw forbidden('不能撤销自己的角色', 'You cannot remove your own roles', 'SELF_ASSIGNMENT');
    const role = a.role as Role;
    if (!isRole(role) || !(await this.grantAllows(actor, role, a.institution_id))) {
      throw forbidden(`您无权撤销“${ROLE_LABELS[role]?.zh ?? role}”角色`, `You may not remove the role ${ROLE_LABELS[role]?.en ?? role}`);
    }
    await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('role_assignments').where('id', '=', assignmentId).execute();
      await recordAudit(trx, actor, {
        action: 'org.role.remove',
        target: { type: 'user', id: userId, institutionId: target.institution_id },
        details: { assignmentId, role, institutionId: a.institution_id },
      });
    });
  }
}
