import type { RigRegistered } from '@fleet/contracts';

type RigSource = RigRegistered['data']['source'];

/**
 * Commands carry everything the decider needs; it never looks anything up. Each names its rig
 * (`rigIdOf(serialNumber)`), which is also how its stream is found.
 */
export interface RegisterRig {
  readonly type: 'RegisterRig';
  readonly data: {
    readonly rigId: string;
    readonly serialNumber: string;
    /** A catalogue id (`RIG_MODELS`). */
    readonly model: string;
    readonly facilityId: string;
    readonly macAddress?: string;
    readonly source: RigSource;
  };
}

export interface InstallRig {
  readonly type: 'InstallRig';
  readonly data: { readonly rigId: string; readonly rack: string; readonly slot: number };
}

export interface SendRigToRepair {
  readonly type: 'SendRigToRepair';
  readonly data: { readonly rigId: string; readonly reason: string };
}

export interface ReturnRigFromRepair {
  readonly type: 'ReturnRigFromRepair';
  readonly data: { readonly rigId: string };
}

export interface DecommissionRig {
  readonly type: 'DecommissionRig';
  readonly data: { readonly rigId: string; readonly reason: string };
}

/**
 * Power's saga: power allocated (or released) the rig's power in the facility stream's version
 * `facilityPowerVersion`. Power decides; the rig only follows, so a command at a version the rig has
 * seen already decides nothing (a repeat, or an event that arrives after a newer one).
 */
export interface PowerOnRig {
  readonly type: 'PowerOnRig';
  readonly data: { readonly rigId: string; readonly facilityPowerVersion: number };
}

export interface PowerOffRig {
  readonly type: 'PowerOffRig';
  readonly data: { readonly rigId: string; readonly reason: string; readonly facilityPowerVersion: number };
}

/** Power's saga: a curtailment shed the rig's power in the facility stream's version `facilityPowerVersion`. */
export interface CurtailRig {
  readonly type: 'CurtailRig';
  readonly data: {
    readonly rigId: string;
    readonly curtailmentId: string;
    readonly facilityPowerVersion: number;
  };
}

export type RigCommand =
  | RegisterRig
  | InstallRig
  | SendRigToRepair
  | ReturnRigFromRepair
  | DecommissionRig
  | PowerOnRig
  | PowerOffRig
  | CurtailRig;
