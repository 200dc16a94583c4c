import type { Plan, PlanAction, PlanBinding } from '../plan/types.ts';
import { painter, type Paint, type Style } from './color.ts';
import { sanitizeTerminal as clean } from '../util/sanitize.ts';
import { alignCells } from './width.ts';
import { changeCounts, groupByDeployment, keptCounts, MARKER, NO_CHANGES, origin, roleChange, subjectLabel, type DeploymentGroup } from './wording.ts';


// Terraform-like terminal output, rendered from the JSON plan alone. Within a deployment block the
// columns are: marker, subject name (token name, user email, team name), subject id, kind (workspace,
// organization, user, team), role change, origin (manifest line and any `expires`, or the reason).
// `?` marks an unmanaged binding (kept: prune is off), `!` an ignored one (matches `ignore`).

const ACTION_STYLE: Record<PlanAction['action'], Style> = { add: 'green', update: 'yellow', remove: 'red' };

interface Row {
  cells: [marker: string, name: string, id: string, scope: string, role: string, origin: string];
  style: Style | null;
}

function actionRow(a: PlanAction): Row {
  return {
    cells: [MARKER[a.action], clean(a.subject.name), clean(a.subject.id), clean(subjectLabel(a.subject)), clean(roleChange(a)), clean(origin(a))],
    style: ACTION_STYLE[a.action],
  };
}

function bindingRow(b: PlanBinding, marker: '?' | '!', label: string): Row {
  return {
    cells: [marker, clean(b.subject.name), clean(b.subject.id), clean(subjectLabel(b.subject)), clean(b.role), `${label}: ${clean(b.reason)}`],
    style: null,
  };
}

function block(g: DeploymentGroup, paint: Paint): string[] {
  const d = g.deployment;
  const rows = [
    ...g.actions.map(actionRow),
    ...g.unmanaged.map((b) => bindingRow(b, '?', 'unmanaged')),
    ...g.ignored.map((b) => bindingRow(b, '!', 'ignored')),
  ];
  const aligned = alignCells(rows.map((r) => r.cells));
  const header = `${paint('bold', `Deployment ${clean(d.name)}`)} ${paint('dim', `(${clean(d.id)})`)} in workspace ${clean(d.workspaceName)}`;
  const lines = aligned.map((padded, i) => {
    const row = rows[i];
    if (!row) return '';
    // Colour the value, not the padding after it.
    const cell = (k: number, style: Style | null) => {
      const raw = row.cells[k] ?? '';
      const pad = (padded[k] ?? raw).slice(raw.length);
      return (style ? paint(style, raw) : raw) + pad;
    };
    return `  ${cell(0, row.style)} ${cell(1, null)}  ${cell(2, 'dim')}  ${cell(3, null)}  ${cell(4, row.style)}  ${cell(5, 'dim')}`.trimEnd();
  });
  return [header, ...lines];
}

export function renderText(plan: Plan, opts: { color: boolean }): string {
  const paint = painter(opts.color);
  const out: string[] = [`Plan for organization ${clean(plan.organizationId)}`, ''];
  for (const g of groupByDeployment(plan)) out.push(...block(g, paint), '');
  for (const w of plan.warnings) out.push(`${paint('yellow', 'Warning:')} ${clean(w)}`);
  if (plan.warnings.length > 0) out.push('');
  out.push(plan.actions.length === 0 ? NO_CHANGES : `${paint('bold', 'Plan:')} ${changeCounts(plan.summary)}.`);
  const kept = keptCounts(plan.summary);
  if (kept !== '') out.push(`Not changed: ${kept}.`);
  return out.join('\n') + '\n';
}
