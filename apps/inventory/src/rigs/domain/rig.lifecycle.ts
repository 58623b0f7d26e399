import type { RigStatus } from '@fleet/contracts';

/**
 * Which action each status allows. Power's actions (power on, power off, curtail) move a rig
 * between installed, online and curtailed; they sit here, next to the others, so a refusal can
 * always list what the rig's status does allow.
 */
export const RIG_ACTIONS = [
  'install',
  'send-to-repair',
  'return-from-repair',
  'decommission',
  'power-on',
  'power-off',
  'curtail',
] as const;
export type RigAction = (typeof RIG_ACTIONS)[number];

const ALLOWED_FROM: Readonly<Record<RigAction, readonly RigStatus[]>> = {
  install: ['received'],
  'send-to-repair': ['received', 'installed', 'online', 'offline', 'curtailed'],
  'return-from-repair': ['in_repair'],
  decommission: ['received', 'installed', 'online', 'offline', 'curtailed', 'in_repair'],
  // A curtailment's end powers its rigs on again.
  'power-on': ['installed', 'offline', 'curtailed'],
  'power-off': ['online', 'curtailed'],
  curtail: ['online'],
};

const ACTION_PHRASES: Readonly<Record<RigAction, string>> = {
  install: 'installed',
  'send-to-repair': 'sent to repair',
  'return-from-repair': 'returned from repair',
  decommission: 'decommissioned',
  'power-on': 'powered on',
  'power-off': 'powered off',
  curtail: 'curtailed',
};

export function isAllowed(action: RigAction, status: RigStatus): boolean {
  return ALLOWED_FROM[action].includes(status);
}

export function statusesAllowing(action: RigAction): readonly RigStatus[] {
  return ALLOWED_FROM[action];
}

export function actionsAllowedIn(status: RigStatus): readonly RigAction[] {
  return RIG_ACTIONS.filter((action) => isAllowed(action, status));
}

/** "can be sent to repair or decommissioned", "allows no further action". */
export function describeAllowedActions(status: RigStatus): string {
  const phrases = actionsAllowedIn(status).map((action) => ACTION_PHRASES[action]);
  if (phrases.length === 0) return 'allows no further action';
  if (phrases.length === 1) return `can only be ${phrases[0]}`;
  return `can be ${phrases.slice(0, -1).join(', ')} or ${phrases[phrases.length - 1]}`;
}

export function describeAction(action: RigAction): string {
  return ACTION_PHRASES[action];
}
