import type { ConditionKey, Sex } from '../domain/patient';
import { femaleShareAt, OLDEST_AGE, singleYearAgeShares } from './age-structure';
import type { Rng } from './random';

/**
 * Which long-term conditions a patient has. Each condition's list-wide rate is the England figure
 * from reference/codes/prevalence.md (QOF 2019/20 registers, §1; "ever recorded" GP-record rates
 * for conditions outside QOF, §3, EMIS column). How the risk rises with age and differs by sex is
 * a shape assumption; the model calibrates a multiplier so that, over the list's age and sex
 * structure, the expected rate equals the published figure. A practice of 2,000 therefore has
 * about 280 hypertensives and 110 diabetics, concentrated in the older patients.
 */
export interface ConditionModel {
  key: ConditionKey;
  /** Published prevalence as a fraction of the denominator population. */
  prevalence: number;
  /** Youngest age in the denominator (QOF: 0, 16, 17, 18 or 50); also the youngest eligible age. */
  minAge: number;
  /** Relative risk by ten-year band 0-9, 10-19, ..., 80-89, 90+. */
  ageWeights: readonly number[];
  /** Relative risk for men compared with women (1 = equal). */
  maleRatio: number;
  source: string;
}

const QOF = 'prevalence.md §1 (QOF 2019/20, England)';
const GM = 'prevalence.md §3 (GM SDE ever-recorded, EMIS)';

export const conditionModels: readonly ConditionModel[] = [
  {
    key: 'hypertension',
    prevalence: 0.1408,
    minAge: 0,
    ageWeights: [0, 0.002, 0.02, 0.05, 0.12, 0.25, 0.45, 0.6, 0.7, 0.7],
    maleRatio: 1.1,
    source: `${QOF} HYP`,
  },
  {
    key: 'diabetes-type-2',
    prevalence: 0.065,
    minAge: 17,
    ageWeights: [0, 0.002, 0.01, 0.03, 0.07, 0.13, 0.2, 0.24, 0.22, 0.18],
    maleRatio: 1.3,
    source: `${QOF} DM (type 2 share per ${GM})`,
  },
  {
    key: 'diabetes-type-1',
    prevalence: 0.0057,
    minAge: 17,
    ageWeights: [0, 1, 1, 1, 1, 1, 0.9, 0.7, 0.5, 0.3],
    maleRatio: 1.2,
    source: `${QOF} DM (type 1 share per ${GM})`,
  },
  {
    key: 'asthma',
    prevalence: 0.0647,
    minAge: 6,
    ageWeights: [0.6, 1.1, 1, 0.9, 0.9, 0.9, 0.9, 0.9, 0.8, 0.6],
    maleRatio: 0.85,
    source: `${QOF} AST`,
  },
  {
    key: 'copd',
    prevalence: 0.0194,
    minAge: 35,
    ageWeights: [0, 0, 0, 0.02, 0.1, 0.4, 1, 1.6, 1.8, 1.5],
    maleRatio: 1.1,
    source: `${QOF} COPD`,
  },
  {
    key: 'depression',
    prevalence: 0.1155,
    minAge: 18,
    ageWeights: [0, 0, 0.9, 1, 1, 1, 0.9, 0.8, 0.8, 0.7],
    maleRatio: 0.55,
    source: `${QOF} DEP`,
  },
  {
    key: 'anxiety',
    prevalence: 0.217,
    minAge: 12,
    ageWeights: [0, 0.7, 1.2, 1.2, 1.1, 1, 0.8, 0.6, 0.5, 0.4],
    maleRatio: 0.6,
    source: `${GM} anxiety (ever)`,
  },
  {
    key: 'ckd',
    prevalence: 0.0405,
    minAge: 18,
    ageWeights: [0, 0, 0.002, 0.01, 0.03, 0.08, 0.25, 0.6, 1, 1.2],
    maleRatio: 0.8,
    source: `${QOF} CKD (stages 3-5)`,
  },
  {
    key: 'chd',
    prevalence: 0.0309,
    minAge: 30,
    ageWeights: [0, 0, 0, 0.01, 0.05, 0.2, 0.5, 1, 1.4, 1.5],
    maleRatio: 1.8,
    source: `${QOF} CHD`,
  },
  {
    key: 'atrial-fibrillation',
    prevalence: 0.0205,
    minAge: 30,
    ageWeights: [0, 0, 0, 0.005, 0.02, 0.08, 0.3, 0.8, 1.5, 1.8],
    maleRatio: 1.3,
    source: `${QOF} AF`,
  },
  {
    key: 'heart-failure',
    prevalence: 0.0089,
    minAge: 30,
    ageWeights: [0, 0, 0, 0.003, 0.01, 0.04, 0.15, 0.5, 1.2, 1.6],
    maleRatio: 1.3,
    source: `${QOF} HF`,
  },
  {
    key: 'stroke-tia',
    prevalence: 0.018,
    minAge: 20,
    ageWeights: [0, 0, 0.002, 0.01, 0.03, 0.1, 0.3, 0.7, 1.2, 1.4],
    maleRatio: 1.1,
    source: `${QOF} STIA`,
  },
  {
    key: 'pad',
    prevalence: 0.006,
    minAge: 40,
    ageWeights: [0, 0, 0, 0, 0.05, 0.2, 0.6, 1, 1.3, 1.3],
    maleRatio: 1.6,
    source: `${QOF} PAD`,
  },
  {
    key: 'hypothyroidism',
    prevalence: 0.0335,
    minAge: 0,
    ageWeights: [0.01, 0.05, 0.2, 0.4, 0.6, 0.8, 1, 1.1, 1.1, 1],
    maleRatio: 0.2,
    source: `${GM} hypothyroidism`,
  },
  {
    key: 'obesity',
    prevalence: 0.105,
    minAge: 18,
    ageWeights: [0, 0, 0.7, 0.9, 1, 1.1, 1.1, 0.9, 0.6, 0.3],
    maleRatio: 0.9,
    source: `${QOF} OB (BMI 30+ in the last 12 months)`,
  },
  {
    key: 'cancer',
    prevalence: 0.0313,
    minAge: 0,
    ageWeights: [0.005, 0.01, 0.03, 0.08, 0.2, 0.5, 1, 1.6, 2, 2],
    maleRatio: 0.9,
    source: `${QOF} CAN`,
  },
  {
    key: 'severe-mental-illness',
    prevalence: 0.0093,
    minAge: 16,
    ageWeights: [0, 0.05, 0.8, 1, 1, 1, 0.9, 0.7, 0.6, 0.5],
    maleRatio: 1.1,
    source: `${QOF} MH`,
  },
  {
    key: 'epilepsy',
    prevalence: 0.008,
    minAge: 18,
    ageWeights: [0, 0, 1, 1, 1, 1, 1, 1, 1, 1],
    maleRatio: 1.1,
    source: `${QOF} EP`,
  },
  {
    key: 'dementia',
    prevalence: 0.0078,
    minAge: 40,
    ageWeights: [0, 0, 0, 0, 0.002, 0.01, 0.05, 0.3, 1.5, 3],
    maleRatio: 0.7,
    source: `${QOF} DEM`,
  },
  {
    key: 'rheumatoid-arthritis',
    prevalence: 0.0077,
    minAge: 16,
    ageWeights: [0, 0, 0.1, 0.3, 0.6, 1, 1.3, 1.4, 1.3, 1.1],
    maleRatio: 0.4,
    source: `${QOF} RA`,
  },
  {
    key: 'osteoarthritis',
    prevalence: 0.105,
    minAge: 35,
    ageWeights: [0, 0, 0, 0.05, 0.2, 0.6, 1, 1.4, 1.6, 1.6],
    maleRatio: 0.7,
    source: `${GM} osteoarthritis`,
  },
  {
    key: 'osteoporosis',
    prevalence: 0.0085,
    minAge: 50,
    ageWeights: [0, 0, 0, 0, 0, 0.3, 0.8, 1.5, 2.5, 3],
    maleRatio: 0.25,
    source: `${QOF} OST (50+)`,
  },
  {
    key: 'gout',
    prevalence: 0.0213,
    minAge: 20,
    ageWeights: [0, 0, 0.05, 0.3, 0.6, 1, 1.3, 1.5, 1.4, 1.2],
    maleRatio: 3,
    source: `${GM} gout`,
  },
  {
    key: 'learning-disability',
    prevalence: 0.0051,
    minAge: 0,
    ageWeights: [1, 1, 1, 1, 1, 0.9, 0.7, 0.5, 0.3, 0.2],
    maleRatio: 1.5,
    source: `${QOF} LD`,
  },
];

/**
 * A condition's probability for each (age, sex): calibrated once so that the expected share of
 * the denominator population equals the published prevalence.
 */
export class ConditionRisk {
  private readonly female: Float64Array;
  private readonly male: Float64Array;

  constructor(readonly model: ConditionModel) {
    const weight = (age: number, male: boolean) =>
      age < model.minAge
        ? 0
        : (model.ageWeights[Math.min(9, Math.floor(age / 10))] as number) * (male ? model.maleRatio : 1);
    let expected = 0;
    let denominator = 0;
    for (let age = 0; age <= OLDEST_AGE; age++) {
      if (age < model.minAge) continue;
      const share = singleYearAgeShares[age] as number;
      const femaleShare = femaleShareAt(age);
      denominator += share;
      expected += share * (femaleShare * weight(age, false) + (1 - femaleShare) * weight(age, true));
    }
    const scale = expected === 0 ? 0 : (model.prevalence * denominator) / expected;
    this.female = new Float64Array(OLDEST_AGE + 1);
    this.male = new Float64Array(OLDEST_AGE + 1);
    for (let age = 0; age <= OLDEST_AGE; age++) {
      this.female[age] = Math.min(0.95, scale * weight(age, false));
      this.male[age] = Math.min(0.95, scale * weight(age, true));
    }
  }

  probability(age: number, sex: Sex): number {
    const table = sex === 'male' ? this.male : this.female;
    return table[Math.min(age, OLDEST_AGE)] as number;
  }
}

const risks = conditionModels.map((model) => new ConditionRisk(model));

export function sampleConditions(rng: Rng, age: number, sex: Sex): ConditionKey[] {
  const found: ConditionKey[] = [];
  for (const risk of risks) {
    const p = risk.probability(age, sex);
    if (p > 0 && rng.fraction() < p) found.push(risk.model.key);
  }
  // One diabetes type only: type 1 takes precedence when both were drawn.
  if (found.includes('diabetes-type-1') && found.includes('diabetes-type-2')) {
    found.splice(found.indexOf('diabetes-type-2'), 1);
  }
  return found;
}
