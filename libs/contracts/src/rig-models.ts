import { z } from 'zod';

/**
 * The catalogue of rig models Fleet knows. A model is named everywhere (APIs, events) by its
 * id. Figures are the vendors' nominal ones; power is at the wall, in watts.
 */
export type MiningAlgorithm = 'SHA-256' | 'Equihash';
export type HashrateUnit = 'TH/s' | 'kSol/s';

export interface RigModel {
  readonly id: string;
  readonly vendor: string;
  readonly name: string;
  readonly coin: 'BTC' | 'ZEC';
  readonly algorithm: MiningAlgorithm;
  /** Decimal string, in `hashrateUnit`. */
  readonly nominalHashrate: string;
  readonly hashrateUnit: HashrateUnit;
  readonly powerWatts: number;
}

const sha256 = { coin: 'BTC', algorithm: 'SHA-256', hashrateUnit: 'TH/s' } as const;
const equihash = { coin: 'ZEC', algorithm: 'Equihash', hashrateUnit: 'kSol/s' } as const;

export const RIG_MODELS: readonly RigModel[] = [
  {
    id: 'asicminer-8-nano-pro',
    vendor: 'ASICminer',
    name: '8 Nano Pro',
    ...sha256,
    nominalHashrate: '76',
    powerWatts: 2600,
  },
  {
    id: 'asicminer-8-nano',
    vendor: 'ASICminer',
    name: '8 Nano',
    ...sha256,
    nominalHashrate: '44',
    powerWatts: 2100,
  },
  {
    id: 'bitmain-antminer-s9',
    vendor: 'Bitmain',
    name: 'Antminer S9',
    ...sha256,
    nominalHashrate: '13.5',
    powerWatts: 1323,
  },
  {
    id: 'bitmain-antminer-s19-pro',
    vendor: 'Bitmain',
    name: 'Antminer S19 Pro',
    ...sha256,
    nominalHashrate: '110',
    powerWatts: 3250,
  },
  {
    id: 'bitmain-antminer-s19j-pro',
    vendor: 'Bitmain',
    name: 'Antminer S19j Pro',
    ...sha256,
    nominalHashrate: '100',
    powerWatts: 3050,
  },
  {
    id: 'bitmain-antminer-s21',
    vendor: 'Bitmain',
    name: 'Antminer S21',
    ...sha256,
    nominalHashrate: '200',
    powerWatts: 3500,
  },
  {
    id: 'microbt-whatsminer-m30s-plus',
    vendor: 'MicroBT',
    name: 'WhatsMiner M30S+',
    ...sha256,
    nominalHashrate: '100',
    powerWatts: 3400,
  },
  {
    id: 'microbt-whatsminer-m50s',
    vendor: 'MicroBT',
    name: 'WhatsMiner M50S',
    ...sha256,
    nominalHashrate: '126',
    powerWatts: 3276,
  },
  {
    id: 'bitmain-antminer-z15',
    vendor: 'Bitmain',
    name: 'Antminer Z15',
    ...equihash,
    nominalHashrate: '420',
    powerWatts: 1510,
  },
  {
    id: 'bitmain-antminer-z15-pro',
    vendor: 'Bitmain',
    name: 'Antminer Z15 Pro',
    ...equihash,
    nominalHashrate: '840',
    powerWatts: 2780,
  },
  {
    id: 'innosilicon-a9-zmaster',
    vendor: 'Innosilicon',
    name: 'A9++ ZMaster',
    ...equihash,
    nominalHashrate: '140',
    powerWatts: 1550,
  },
];

const modelsById = new Map(RIG_MODELS.map((model) => [model.id, model]));

export const RigModelId = z
  .string()
  .refine((id) => modelsById.has(id), { message: 'not a model of the catalogue (GET /models on inventory)' });

/** The catalogue entry of a model id, or undefined for an id outside the catalogue. */
export function findRigModel(id: string): RigModel | undefined {
  return modelsById.get(id);
}
