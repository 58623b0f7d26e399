import type { RigRegistered } from '@fleet/contracts';

type RigSource = RigRegistered['data']['source'];

/** Commands carry everything the decider needs; it never looks anything up. */
export interface RegisterRig {
  readonly type: 'RegisterRig';
  readonly data: {
    /** `rigIdOf(serialNumber)`. */
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
  readonly data: { readonly rack: string; readonly slot: number };
}

export interface SendRigToRepair {
  readonly type: 'SendRigToRepair';
  readonly data: { readonly reason: string };
}

export interface ReturnRigFromRepair {
  readonly type: 'ReturnRigFromRepair';
  readonly data: Record<string, never>;
}

export interface DecommissionRig {
  readonly type: 'DecommissionRig';
  readonly data: { readonly reason: string };
}

export type RigCommand = RegisterRig | InstallRig | SendRigToRepair | ReturnRigFromRepair | DecommissionRig;
