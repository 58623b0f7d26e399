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

export type RigCommand = RegisterRig | InstallRig | SendRigToRepair | ReturnRigFromRepair | DecommissionRig;
