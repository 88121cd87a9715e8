// Checks the file's rows against each other and against the institution's catalog as it is, and says what
// an import would write. Pure: the service loads the catalog, this decides.
//
// The rule (docs/catalog-contract.md, AST-4 import): an import only ADDS. A system row naming an existing
// system is accepted when every column the file gives equals what is registered (the file restates the
// system its resources belong to); any difference is DUPLICATE_NAME, since changing a registered system
// is a filing (systems service), not an import. A resource name already used in its system is always
// DUPLICATE_NAME. Field rows may add fields to a resource already in the catalog, but never a field name
// it has. Levels (等级) become a pending grading proposal for a security officer to approve (CLS-2): an
// import never decides a level by itself.
import { cellIssue, fileIssue, type ImportIssue, type RowSource, sortIssues } from './issues.ts';
import type { FieldRow, ParsedCatalog, ResourceRow, SystemRow } from './read.ts';
import { isLowerLevel, LEVEL_INFO, type Level, normalizeToken } from './vocab.ts';

export interface ExistingSystem {
  id: string;
  name: string;
  status: string;
  description: string | null;
  mlpsLevel: number | null;
  mlpsFilingNo: string | null;
  cii: boolean;
}

export interface ExistingResource {
  id: string;
  systemId: string;
  name: string;
  fieldNames: ReadonlySet<string>;
  /** Position the next appended field takes. */
  nextPosition: number;
}

export interface ExistingCatalog {
  systems: readonly ExistingSystem[];
  resources: readonly ExistingResource[];
}

export interface PlanContext {
  /** system.manage at the institution: needed when the file registers new systems. */
  canCreateSystems: boolean;
  /** grading.propose at the institution: needed when the file has levels. */
  canPropose: boolean;
}

export type ResourceRef = { existingId: string } | { newIndex: number };

export interface ImportPlan {
  newSystems: SystemRow[];
  /** System rows that restate a registered system: nothing to write. */
  reusedSystems: { row: SystemRow; id: string }[];
  /** Resources to create; `system` is a registered system's id or an index into newSystems. */
  newResources: { row: ResourceRow; system: { existingId: string } | { newIndex: number } }[];
  newFields: { row: FieldRow; resource: ResourceRef; position: number }[];
  /** One proposal per graded new resource: indexes into newResources and newFields. */
  gradings: { resourceIndex: number; level: Level; fields: { fieldIndex: number; level: Level }[] }[];
  /** Registered resources that gain fields (their version moves on). */
  extendedResources: string[];
}

const CLOSED = 'closed';

/** "第 3 行" (and the sheet when it is another one): where the earlier row is. */
function where(src: RowSource, from: RowSource): { zh: string; en: string } {
  const sheet = src.sheet !== null && src.sheet !== from.sheet ? src.sheet : null;
  return {
    zh: `${sheet ? `工作表“${sheet}”` : ''}第 ${src.row} 行`,
    en: `${sheet ? `sheet "${sheet}" ` : ''}row ${src.row}`,
  };
}

/** A near miss worth naming: same name but for spaces, width or case (（ vs (, Ａ vs A). */
function didYouMean(name: string, candidates: Iterable<string>): { zh: string; en: string } {
  const n = normalizeToken(name);
  for (const c of candidates) {
    if (c !== name && normalizeToken(c) === n) return { zh: `（是否为“${c}”？）`, en: ` (did you mean "${c}"?)` };
  }
  return { zh: '', en: '' };
}

const key = (...parts: string[]) => parts.join('\u0000');

/** The catalog API's limit (resources.schemas.ts): a resource with more fields could not be edited there. */
export const MAX_FIELDS_PER_RESOURCE = 1000;

export function planImport(parsed: ParsedCatalog, existing: ExistingCatalog, ctx: PlanContext): { plan: ImportPlan; issues: ImportIssue[] } {
  const issues: ImportIssue[] = [...parsed.issues];
  const plan: ImportPlan = { newSystems: [], reusedSystems: [], newResources: [], newFields: [], gradings: [], extendedResources: [] };
  const at = (row: { src: RowSource }, field: string | null, fallback: string | null, code: string, zh: string, en: string) =>
    issues.push(cellIssue(row.src, field, fallback, code, zh, en));

  // Systems ------------------------------------------------------------------------------------------
  const registered = new Map(existing.systems.map((s) => [s.name, s]));
  const systemRowByName = new Map<string, SystemRow>();
  const newSystemIndex = new Map<string, number>();
  for (const row of parsed.systems) {
    const earlier = systemRowByName.get(row.name);
    if (earlier) {
      const w = where(earlier.src, row.src);
      at(row, 'name', '系统名称', 'DUPLICATE_IN_FILE', `系统“${row.name}”与${w.zh}重复`, `System "${row.name}" repeats ${w.en}`);
      continue;
    }
    systemRowByName.set(row.name, row);
    const reg = registered.get(row.name);
    if (reg) {
      const diff = systemDifferences(row, reg);
      if (diff.length > 0) {
        at(
          row,
          'name',
          '系统名称',
          'DUPLICATE_NAME',
          `系统“${row.name}”已登记，且与本行的 ${diff.map((d) => `“${d}”`).join('、')} 不一致；导入只新增，修改已登记系统请走系统变更`,
          `System "${row.name}" is already registered and differs from this row in ${diff.join(', ')}; an import only adds (change a registered system through a change filing)`,
        );
      } else {
        plan.reusedSystems.push({ row, id: reg.id });
      }
      continue;
    }
    if (!ctx.canCreateSystems) {
      at(
        row,
        'name',
        '系统名称',
        'SYSTEM_NOT_PERMITTED',
        `系统“${row.name}”尚未登记，您没有登记系统的权限`,
        `System "${row.name}" is not registered and you may not register systems`,
      );
      continue;
    }
    newSystemIndex.set(row.name, plan.newSystems.length);
    plan.newSystems.push(row);
  }
  const allSystemNames = [...registered.keys(), ...systemRowByName.keys()];

  // Resources ----------------------------------------------------------------------------------------
  const registeredResources = new Map<string, ExistingResource>();
  const systemNameById = new Map(existing.systems.map((s) => [s.id, s.name]));
  for (const r of existing.resources) {
    const sys = systemNameById.get(r.systemId);
    if (sys !== undefined) registeredResources.set(key(sys, r.name), r);
  }
  const resourceRowByKey = new Map<string, ResourceRow>();
  const newResourceIndex = new Map<string, number>();
  for (const row of parsed.resources) {
    const k = key(row.system, row.name);
    const earlier = resourceRowByKey.get(k);
    if (earlier) {
      const w = where(earlier.src, row.src);
      at(
        row,
        'name',
        '资源名称',
        'DUPLICATE_IN_FILE',
        `系统“${row.system}”下的数据资源“${row.name}”与${w.zh}重复`,
        `Resource "${row.name}" of system "${row.system}" repeats ${w.en}`,
      );
      continue;
    }
    resourceRowByKey.set(k, row);
    const reg = registered.get(row.system);
    const inFile = systemRowByName.has(row.system);
    if (!reg && !inFile) {
      const hint = didYouMean(row.system, allSystemNames);
      at(
        row,
        'system',
        '系统名称',
        'UNKNOWN_SYSTEM',
        `系统“${row.system}”既未在本机构登记，也不在文件的系统中${hint.zh}`,
        `System "${row.system}" is neither registered for this institution nor listed in the file${hint.en}`,
      );
      continue;
    }
    if (reg?.status === CLOSED) {
      at(
        row,
        'system',
        '系统名称',
        'SYSTEM_CLOSED',
        `系统“${row.system}”已关停，不能再登记数据资源`,
        `System "${row.system}" is closed; no resources can be added to it`,
      );
      continue;
    }
    if (registeredResources.has(k)) {
      at(
        row,
        'name',
        '资源名称',
        'DUPLICATE_NAME',
        `系统“${row.system}”下已有数据资源“${row.name}”；导入只新增，修改已有数据资源请在目录中编辑`,
        `System "${row.system}" already has a resource "${row.name}"; an import only adds (edit existing resources in the catalog)`,
      );
      continue;
    }
    const newIndex = newSystemIndex.get(row.system);
    // A system row refused above (no permission, conflicting) leaves its resources without a target; the
    // file already has an error for it, so they are simply not planned.
    if (!reg && newIndex === undefined) continue;
    const system = reg ? { existingId: reg.id } : { newIndex: newIndex as number };
    newResourceIndex.set(k, plan.newResources.length);
    plan.newResources.push({ row, system });
  }

  // Fields -------------------------------------------------------------------------------------------
  // Candidates by resource name: the catalog's, then the file's new ones. A file row that repeats a
  // catalogued resource stands for it (its fields are checked against the catalogued fields); a refused
  // file row still counts, so one mistake is not reported again on every field that names it.
  type Target = { label: string; system: string; ref: ResourceRef | null; existing: ExistingResource | null };
  const byName = new Map<string, Target[]>();
  const addTarget = (name: string, t: Target) => {
    const list = byName.get(name) ?? [];
    if (!list.some((x) => x.system === t.system)) list.push(t);
    byName.set(name, list);
  };
  for (const [k, r] of registeredResources) {
    const system = k.split('\u0000')[0] as string;
    addTarget(r.name, { label: r.name, system, ref: { existingId: r.id }, existing: r });
  }
  for (const [k, row] of resourceRowByKey) {
    const idx = newResourceIndex.get(k);
    addTarget(row.name, { label: row.name, system: row.system, ref: idx === undefined ? null : { newIndex: idx }, existing: null });
  }
  const fieldRowByKey = new Map<string, FieldRow>();
  const nextPosition = new Map<string, number>();
  const fieldIndexesByResource = new Map<number, number[]>();
  const overFull = new Set<string>();
  for (const row of parsed.fields) {
    const candidates = (byName.get(row.resource) ?? []).filter((t) => row.system === null || t.system === row.system);
    if (candidates.length === 0) {
      const names = [...byName.keys()];
      const hint = didYouMean(row.resource, names);
      const sys = row.system ? `系统“${row.system}”下` : '';
      at(
        row,
        'resource',
        '资源名称',
        'UNKNOWN_RESOURCE',
        `${sys}找不到数据资源“${row.resource}”：它既不在文件中，也不在本机构的目录中${hint.zh}`,
        `No resource "${row.resource}"${row.system ? ` in system "${row.system}"` : ''} in the file or in this institution's catalog${hint.en}`,
      );
      continue;
    }
    if (candidates.length > 1) {
      const systems = candidates.map((c) => c.system);
      at(
        row,
        'resource',
        '资源名称',
        'AMBIGUOUS_RESOURCE',
        `多个系统都有数据资源“${row.resource}”（${systems.join('、')}），请填写“系统名称”`,
        `Several systems have a resource "${row.resource}" (${systems.join(', ')}); fill in the system column`,
      );
      continue;
    }
    const target = candidates[0] as Target;
    const k = key(target.system, target.label, row.name);
    const earlier = fieldRowByKey.get(k);
    if (earlier) {
      const w = where(earlier.src, row.src);
      at(
        row,
        'name',
        '字段名称',
        'DUPLICATE_IN_FILE',
        `数据资源“${row.resource}”的数据项“${row.name}”与${w.zh}重复`,
        `Field "${row.name}" of resource "${row.resource}" repeats ${w.en}`,
      );
      continue;
    }
    fieldRowByKey.set(k, row);
    if (target.existing?.fieldNames.has(row.name)) {
      at(
        row,
        'name',
        '字段名称',
        'DUPLICATE_NAME',
        `数据资源“${row.resource}”已有数据项“${row.name}”；导入只新增数据项`,
        `Resource "${row.resource}" already has a field "${row.name}"; an import only adds fields`,
      );
      continue;
    }
    if (target.existing && row.level !== null) {
      at(
        row,
        'level',
        '等级',
        'LEVEL_ON_EXISTING_RESOURCE',
        `数据资源“${row.resource}”已在目录中，其数据项的等级请通过定级流程提出，导入时请留空“等级”`,
        `Resource "${row.resource}" is already catalogued: propose its fields' levels through grading and leave the level empty here`,
      );
      continue;
    }
    if (!target.ref) continue; // the resource row itself was refused; its error is reported
    const tk = 'existingId' in target.ref ? target.ref.existingId : `new:${target.ref.newIndex}`;
    const base = target.existing ? target.existing.nextPosition : 1;
    const position = nextPosition.get(tk) ?? base;
    nextPosition.set(tk, position + 1);
    if (position > MAX_FIELDS_PER_RESOURCE) {
      if (!overFull.has(tk)) {
        overFull.add(tk);
        at(
          row,
          'name',
          '字段名称',
          'TOO_MANY_FIELDS',
          `数据资源“${row.resource}”的数据项超过 ${MAX_FIELDS_PER_RESOURCE} 个（自本行起），请拆分为多个数据资源`,
          `Resource "${row.resource}" would have more than ${MAX_FIELDS_PER_RESOURCE} fields (from this row on); split it into several resources`,
        );
      }
      continue;
    }
    if ('newIndex' in target.ref) {
      const list = fieldIndexesByResource.get(target.ref.newIndex) ?? [];
      list.push(plan.newFields.length);
      fieldIndexesByResource.set(target.ref.newIndex, list);
    } else if (!plan.extendedResources.includes(target.ref.existingId)) {
      plan.extendedResources.push(target.ref.existingId);
    }
    plan.newFields.push({ row, resource: target.ref, position });
  }

  // Levels (CLS-2, CLS-4) ----------------------------------------------------------------------------
  plan.newResources.forEach(({ row }, resourceIndex) => {
    const fields = (fieldIndexesByResource.get(resourceIndex) ?? []).map((fieldIndex) => ({ fieldIndex, row: plan.newFields[fieldIndex]?.row as FieldRow }));
    const graded = fields.filter((f) => f.row.level !== null);
    if (row.level === null) {
      for (const f of graded) {
        at(
          f.row,
          'level',
          '等级',
          'RESOURCE_LEVEL_REQUIRED',
          `数据项“${f.row.name}”填写了等级，但数据资源“${row.name}”没有；定级以数据资源为单位提出`,
          `Field "${f.row.name}" has a level but its resource "${row.name}" has none; levels are proposed per resource`,
        );
      }
      return;
    }
    const highest = graded.reduce<(typeof graded)[number] | null>((h, f) => (!h || isLowerLevel(h.row.level as Level, f.row.level as Level) ? f : h), null);
    if (highest && isLowerLevel(row.level, highest.row.level as Level)) {
      const w = where(highest.row.src, row.src);
      at(
        row,
        'level',
        '等级',
        'LEVEL_BELOW_FIELD',
        `数据资源的等级“${LEVEL_INFO[row.level].zh}”低于其数据项“${highest.row.name}”（${w.zh}）的等级“${LEVEL_INFO[highest.row.level as Level].zh}”（就高从严）`,
        `The resource's level (${row.level}) is below that of its field "${highest.row.name}" (${w.en}, ${highest.row.level}): a resource takes the highest level of its fields`,
      );
      return;
    }
    plan.gradings.push({ resourceIndex, level: row.level, fields: graded.map((f) => ({ fieldIndex: f.fieldIndex, level: f.row.level as Level })) });
  });
  const graded = plan.newResources.filter((r) => r.row.level !== null);
  if (graded.length > 0 && !ctx.canPropose) {
    // One error for the file, at the first graded resource: the fix is one column, not each row.
    at(
      graded[0]?.row as ResourceRow,
      'level',
      '等级',
      'GRADING_NOT_PERMITTED',
      `文件为 ${graded.length} 个数据资源填写了等级，但您没有提出定级的权限（数据管理员）；请清空“等级”列，或由数据管理员导入`,
      `The file gives levels for ${graded.length} resources but you may not propose gradings (a data steward's duty); clear the level column or have a steward import it`,
    );
  }
  if (parsed.issues.length === 0 && issues.length === 0 && isEmpty(plan)) {
    issues.push(
      fileIssue(
        'NOTHING_TO_IMPORT',
        '文件中的系统均已登记，且没有新的数据资源或数据项',
        'Every system in the file is already registered and there is no new resource or field',
      ),
    );
  }
  return { plan, issues: sortIssues(issues) };
}

function isEmpty(plan: ImportPlan): boolean {
  return plan.newSystems.length === 0 && plan.newResources.length === 0 && plan.newFields.length === 0;
}

/** The columns (headers as in the file) whose value differs from the registered system. */
function systemDifferences(row: SystemRow, reg: ExistingSystem): string[] {
  const h = row.src.headers;
  const diff: string[] = [];
  const cmp = (k: string, a: unknown, b: unknown) => {
    if (h.has(k) && a !== b) diff.push(h.get(k) as string);
  };
  cmp('description', row.description, reg.description);
  cmp('mlpsLevel', row.mlpsLevel, reg.mlpsLevel);
  cmp('mlpsFilingNo', row.mlpsFilingNo, reg.mlpsFilingNo);
  // An empty CII cell states nothing; the registered flag defaults to "no".
  cmp('cii', row.cii ?? false, reg.cii);
  return diff;
}
