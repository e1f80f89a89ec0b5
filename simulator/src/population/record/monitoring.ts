import type { Consultation, Observation } from '../../domain/clinical-record';
import type { ConditionKey } from '../../domain/patient';
import { dateTimeOfDay } from '../dates';
import type { MonitoringPanel } from './condition-catalogue';
import type { RecordContext } from './record-context';

/**
 * Measurements and test results. Each patient has a stable physiology (their usual blood pressure,
 * weight, HbA1c, eGFR...) drawn once, so repeated readings vary around the same values the way a
 * real series does, and diseases move them in the expected direction.
 */
export interface Physiology {
  systolic: number;
  diastolic: number;
  heightM: number;
  bmi: number;
  hba1c: number;
  egfr: number;
  creatinine: number;
  cholesterol: number;
  hdl: number;
  tsh: number;
  haemoglobin: number;
  pulse: number;
  urineAcr: number;
  qrisk: number;
}

export function drawPhysiology(context: RecordContext): Physiology {
  const { rng, patient } = context;
  const has = (key: ConditionKey) => patient.conditions.includes(key);
  const female = patient.sex === 'female';
  const age = context.age;
  const heightM = round((female ? 1.62 : 1.76) + rng.normal(0, 0.06), 2);
  const bmi = has('obesity') ? rng.between(30, 40) + rng.fraction() : Math.max(17.5, rng.normal(26.5, 3.5));
  const egfr = has('ckd') ? rng.between(32, 58) : clamp(rng.normal(105 - age * 0.6, 8), 60, 120);
  return {
    systolic: has('hypertension') ? rng.normal(142, 10) : rng.normal(118 + age * 0.2, 9),
    diastolic: has('hypertension') ? rng.normal(85, 7) : rng.normal(74, 7),
    heightM,
    bmi,
    hba1c: has('diabetes-type-1')
      ? rng.normal(66, 9)
      : has('diabetes-type-2')
        ? rng.normal(56, 9)
        : rng.normal(37, 2.5),
    egfr,
    creatinine: clamp(Math.round((female ? 5200 : 6800) / egfr), 45, 250),
    cholesterol: clamp(rng.normal(5.2, 0.8), 3, 7.5),
    hdl: clamp(rng.normal(female ? 1.55 : 1.25, 0.25), 0.8, 2.2),
    tsh: has('hypothyroidism') ? rng.normal(2.8, 1.4) : rng.normal(1.9, 0.7),
    haemoglobin: female ? rng.normal(134, 9) : rng.normal(149, 9),
    pulse: has('atrial-fibrillation') ? rng.normal(84, 10) : rng.normal(72, 8),
    urineAcr:
      has('ckd') || has('diabetes-type-2') || has('diabetes-type-1')
        ? clamp(rng.normal(4, 3), 0.5, 25)
        : clamp(rng.normal(1, 0.5), 0.2, 2.9),
    qrisk: clamp(rng.normal(age / 4, 4), 2, 38),
  };
}

const BLOOD_PRESSURE = '75367002';
const SYSTOLIC = '271649006';
const DIASTOLIC = '271650006';
const VITAL_PANELS: ReadonlySet<MonitoringPanel> = new Set(['blood-pressure', 'bmi', 'pulse', 'qrisk']);

export function isVitalPanel(panel: MonitoringPanel): boolean {
  return VITAL_PANELS.has(panel);
}

/** Records a vital-signs panel in a consultation. */
export function recordVitals(
  context: RecordContext,
  physiology: Physiology,
  panel: MonitoringPanel,
  consultation: Consultation,
  problemId?: string,
): void {
  const base = { ...context.inConsultation(consultation), ...(problemId ? { problemId } : {}) };
  const { rng } = context;
  switch (panel) {
    case 'blood-pressure': {
      const systolic = Math.round(clamp(rng.normal(physiology.systolic, 7), 95, 195));
      const diastolic = Math.round(clamp(rng.normal(physiology.diastolic, 5), 50, 115));
      context.addObservation(
        {
          ...base,
          kind: 'observation',
          id: context.id('observation'),
          concept: context.concept('observations', BLOOD_PRESSURE),
          category: 'vital-signs',
          components: [
            { concept: context.concept('observations', SYSTOLIC), value: systolic, unit: 'mmHg' },
            { concept: context.concept('observations', DIASTOLIC), value: diastolic, unit: 'mmHg' },
          ],
        },
        consultation,
      );
      return;
    }
    case 'bmi': {
      const bmi = round(clamp(rng.normal(physiology.bmi, 0.6), 15, 55), 1);
      const weight = round(bmi * physiology.heightM * physiology.heightM, 1);
      vital(context, consultation, base, '27113001', weight, 'kg', 'vital-signs');
      vital(context, consultation, base, '50373000', physiology.heightM, 'm', 'vital-signs');
      vital(context, consultation, base, '60621009', bmi, 'kg/m2', 'vital-signs');
      return;
    }
    case 'pulse':
      vital(
        context,
        consultation,
        base,
        '78564009',
        Math.round(clamp(rng.normal(physiology.pulse, 6), 45, 140)),
        '/min',
        'vital-signs',
      );
      return;
    case 'qrisk':
      vital(context, consultation, base, '1085871000000105', round(physiology.qrisk, 1), '%', 'examination');
      return;
    case 'hba1c':
    case 'renal':
    case 'lipids':
    case 'urine-acr':
    case 'thyroid':
    case 'fbc':
    case 'liver':
    case 'vitamin-d':
      throw new Error(`${panel} is a laboratory panel, not a vital sign`);
  }
}

function vital(
  context: RecordContext,
  consultation: Consultation,
  base: Pick<Observation, 'date' | 'recorded' | 'recorderIndex' | 'consultationId' | 'problemId'>,
  code: string,
  value: number,
  unit: string,
  category: Observation['category'],
): void {
  context.addObservation(
    {
      ...base,
      kind: 'observation',
      id: context.id('observation'),
      concept: context.concept('observations', code),
      category,
      value,
      unit,
    },
    consultation,
  );
}

interface LabResult {
  code: string;
  value: number;
  unit: string;
}

/** Files a laboratory report (a diagnostic report with its results), as results arrive from the lab. */
export function recordLabPanel(
  context: RecordContext,
  physiology: Physiology,
  panel: MonitoringPanel,
  day: number,
  problemId?: string,
): void {
  const results = labResults(context, physiology, panel);
  if (results.length === 0) return;
  const reviewer = context.clinician('gp');
  const sampled = dateTimeOfDay(day, 8 * 60 + context.rng.int(180));
  const issued = dateTimeOfDay(day + 1, 11 * 60 + context.rng.int(300));
  const reportId = context.id('investigation');
  const resultIds: string[] = [];
  for (const result of results) {
    const row = context.reference.observations.get(result.code);
    const observation = context.addObservation({
      kind: 'observation',
      id: context.id('observation'),
      date: sampled,
      recorded: issued,
      recorderIndex: reviewer,
      concept: context.concept('observations', result.code),
      category: 'laboratory',
      value: result.value,
      unit: result.unit,
      ...(row?.typicalLow !== undefined && row.typicalHigh !== undefined
        ? { referenceRange: { low: row.typicalLow, high: row.typicalHigh } }
        : {}),
      reportId,
      ...(problemId ? { problemId } : {}),
    });
    resultIds.push(observation.id);
  }
  context.addReport({
    kind: 'investigation',
    id: reportId,
    date: sampled,
    recorded: issued,
    recorderIndex: reviewer,
    concept:
      panel === 'fbc'
        ? context.concept('recordStructure', '26604007')
        : context.concept('recordStructure', '721981007'),
    resultIds,
    specimen: context.concept('recordStructure', '122555007'),
    issued,
  });
}

function labResults(context: RecordContext, p: Physiology, panel: MonitoringPanel): LabResult[] {
  const { rng } = context;
  const jitter = (value: number, sd: number, low: number, high: number, places: number) =>
    round(clamp(rng.normal(value, sd), low, high), places);
  switch (panel) {
    case 'hba1c':
      return [{ code: '999791000000106', value: Math.round(jitter(p.hba1c, 4, 28, 120, 0)), unit: 'mmol/mol' }];
    case 'renal': {
      const egfr = Math.round(jitter(p.egfr, 3, 10, 120, 0));
      return [
        { code: '1000731000000107', value: Math.round(jitter(p.creatinine, 5, 40, 400, 0)), unit: 'umol/L' },
        { code: '1011481000000105', value: egfr, unit: 'mL/min/1.73m2' },
        { code: '1000651000000109', value: jitter(4.3, 0.35, 3.2, 6.2, 1), unit: 'mmol/L' },
        { code: '1000661000000107', value: Math.round(jitter(139, 2.2, 128, 148, 0)), unit: 'mmol/L' },
      ];
    }
    case 'lipids': {
      const total = jitter(p.cholesterol, 0.3, 2.5, 9, 1);
      const hdl = jitter(p.hdl, 0.1, 0.6, 2.6, 1);
      const triglycerides = jitter(1.5, 0.5, 0.4, 5, 1);
      return [
        { code: '1005671000000105', value: total, unit: 'mmol/L' },
        { code: '1005681000000107', value: hdl, unit: 'mmol/L' },
        { code: '1022191000000100', value: round(Math.max(0.5, total - hdl - triglycerides / 2.2), 1), unit: 'mmol/L' },
        { code: '1005691000000109', value: triglycerides, unit: 'mmol/L' },
        { code: '1015681000000109', value: round(total / hdl, 1), unit: 'ratio' },
      ];
    }
    case 'urine-acr':
      return [{ code: '1023491000000104', value: jitter(p.urineAcr, 0.6, 0.1, 60, 1), unit: 'mg/mmol' }];
    case 'thyroid':
      return [
        { code: '1022791000000101', value: jitter(p.tsh, 0.5, 0.05, 15, 2), unit: 'mU/L' },
        ...(rng.chance(0.4) ? [{ code: '1016971000000106', value: jitter(15, 2.5, 8, 28, 1), unit: 'pmol/L' }] : []),
      ];
    case 'fbc':
      return [
        { code: '1022431000000105', value: Math.round(jitter(p.haemoglobin, 5, 80, 190, 0)), unit: 'g/L' },
        { code: '1022541000000102', value: jitter(7, 1.5, 2.5, 16, 1), unit: '10*9/L' },
        { code: '1022651000000100', value: Math.round(jitter(260, 45, 90, 520, 0)), unit: '10*9/L' },
      ];
    case 'liver':
      return [{ code: '1018251000000107', value: Math.round(jitter(24, 7, 6, 120, 0)), unit: 'U/L' }];
    case 'vitamin-d':
      return [{ code: '1007991000000105', value: Math.round(jitter(55, 18, 12, 140, 0)), unit: 'nmol/L' }];
    case 'blood-pressure':
    case 'bmi':
    case 'pulse':
    case 'qrisk':
      return [];
  }
}

/** Smoking and alcohol status, recorded at registration and reviewed now and then. */
export function recordLifestyle(context: RecordContext, consultation: Consultation): void {
  const { rng, patient } = context;
  const smokerShare = patient.conditions.includes('copd') ? 0.35 : 0.13;
  const r = rng.fraction();
  const smokingCode =
    r < smokerShare
      ? rng.pick(['77176002', '65568007', '160603005', '160604004'])
      : r < smokerShare + 0.25
        ? '8517006'
        : '266919005';
  const base = context.inConsultation(consultation);
  context.addObservation(
    {
      ...base,
      kind: 'observation',
      id: context.id('observation'),
      concept: context.concept('observations', smokingCode),
      category: 'social-history',
    },
    consultation,
  );
  if (smokingCode !== '8517006' && smokingCode !== '266919005') {
    context.addObservation(
      {
        ...base,
        kind: 'observation',
        id: context.id('observation'),
        concept: context.concept('observations', '230056004'),
        category: 'social-history',
        value: rng.between(3, 25),
        unit: 'cigarettes/day',
      },
      consultation,
    );
  }
  context.addObservation(
    {
      ...base,
      kind: 'observation',
      id: context.id('observation'),
      concept: context.concept('observations', '1082641000000106'),
      category: 'social-history',
      value: rng.chance(0.2) ? 0 : rng.between(1, 28),
      unit: 'units/week',
    },
    consultation,
  );
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value));
}

function round(value: number, places: number): number {
  const factor = 10 ** places;
  return Math.round(value * factor) / factor;
}
