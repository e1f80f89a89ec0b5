import type { ConditionKey } from '../../domain/patient';

/**
 * What each long-term condition brings to a record: the problem codes GP systems use for it (NHS
 * Digital QOF clusters, from fixtures/codes/problems.csv), the medicines usually prescribed for it
 * (dm+d codes from fixtures/codes/medications.csv, matched on their indication), and the
 * monitoring a practice records (observations.csv). Probabilities are typical prescribing shares,
 * not published figures; the codes themselves are all verified.
 */

export interface WeightedCode {
  code: string;
  weight: number;
}

/** One line of treatment: with probability `chance`, one of `options` is prescribed. */
export interface MedicationLine {
  chance: number;
  options: readonly string[];
  /** Acute courses recur as episodes (exacerbations, flares) rather than running continuously. */
  acuteEpisodesPerYear?: number;
}

export type MonitoringPanel =
  | 'blood-pressure'
  | 'hba1c'
  | 'renal'
  | 'lipids'
  | 'bmi'
  | 'urine-acr'
  | 'thyroid'
  | 'fbc'
  | 'liver'
  | 'pulse'
  | 'qrisk'
  | 'vitamin-d';

export interface Monitoring {
  panel: MonitoringPanel;
  perYear: number;
}

export interface ConditionRecordSpec {
  problemCodes: readonly WeightedCode[];
  significance: 'major' | 'minor';
  /** Youngest plausible age at diagnosis. */
  earliestOnsetAge: number;
  /** Share of patients whose problem is now inactive (resolved, in remission or historic). */
  inactiveShare: number;
  medications: readonly MedicationLine[];
  monitoring: readonly Monitoring[];
  /** Who reviews it and how often (reviews become consultations that record the monitoring). */
  review: { by: 'gp' | 'nurse' | 'pharmacist'; perYear: number; topic: string };
  /** Typed into review consultations. */
  reviewNarrative: readonly string[];
  referral?: { code: string; chance: number; service: string; reason: string };
}

const AMLODIPINE_5 = '39732011000001102';
const AMLODIPINE_10 = '39731911000001109';
const RAMIPRIL_2_5 = '42381411000001102';
const RAMIPRIL_5 = '42381611000001104';
const RAMIPRIL_10 = '42381211000001101';
const LISINOPRIL_10 = '42376111000001109';
const LOSARTAN_50 = '42377011000001106';
const CANDESARTAN_8 = '42372111000001105';
const BISOPROLOL_2_5 = '42371311000001103';
const BISOPROLOL_5 = '42371511000001109';
const BENDROFLUMETHIAZIDE = '42206611000001103';
const INDAPAMIDE_MR = '39020711000001100';
const FUROSEMIDE_40 = '42294811000001108';
const SPIRONOLACTONE = '42216511000001100';
const DOXAZOSIN = '42209311000001101';
const ATORVASTATIN_20 = '320030001';
const ATORVASTATIN_80 = '134489001';
const SIMVASTATIN_40 = '320000009';
const ASPIRIN_75 = '319773006';
const CLOPIDOGREL = '319799004';
const METFORMIN = '42084911000001109';
const METFORMIN_MR = '39113511000001101';
const GLICLAZIDE = '42082911000001100';
const SITAGLIPTIN = '42089711000001108';
const EMPAGLIFLOZIN = '25290511000001101';
const DAPAGLIFLOZIN = '39689811000001104';
const INSULIN_GLARGINE = '38897011000001107';
const SALBUTAMOL = '39113611000001102';
const BECLOMETASONE = '35908111000001105';
const BECLOMETASONE_FORMOTEROL = '12911011000001100';
const BUDESONIDE_FORMOTEROL = '38896811000001103';
const MONTELUKAST = '320884002';
const PREDNISOLONE = '42087311000001104';
const CARBOCISTEINE = '320935009';
const DOXYCYCLINE = '41948311000001104';
const SERTRALINE_50 = '39704111000001102';
const CITALOPRAM = '42269411000001107';
const FLUOXETINE = '42271711000001106';
const MIRTAZAPINE_15 = '42274511000001104';
const VENLAFAXINE = '38750311000001104';
const PROPRANOLOL_10 = '42380111000001101';
const APIXABAN_5 = '703908001';
const RIVAROXABAN = '19842211000001107';
const EDOXABAN = '29903411000001101';
const WARFARIN_1 = '319733000';
const DIGOXIN = '317896006';
const GTN_SPRAY = '18358011000001101';
const ISOSORBIDE_MONONITRATE = '319136004';
const LEVOTHYROXINE_25 = '374294006';
const LEVOTHYROXINE_50 = '374295007';
const LEVOTHYROXINE_100 = '374296008';
const QUETIAPINE = '321624009';
const LEVETIRACETAM = '323054005';
const DONEPEZIL = '323365007';
const METHOTREXATE = '326874007';
const FOLIC_ACID = '327550006';
const HYDROXYCHLOROQUINE = '42295211000001108';
const PARACETAMOL = '322236009';
const NAPROXEN_250 = '329806007';
const NAPROXEN_500 = '329807003';
const CO_CODAMOL = '42009811000001101';
const OMEPRAZOLE = '317291008';
const LANSOPRAZOLE_15 = '317310006';
const ALLOPURINOL_100 = '42099411000001101';
const ALLOPURINOL_300 = '42099511000001102';
const COLCHICINE = '42101011000001101';

export const conditionCatalogue: Record<ConditionKey, ConditionRecordSpec> = {
  hypertension: {
    problemCodes: [
      { code: '59621000', weight: 8 },
      { code: '38341003', weight: 2 },
      { code: '843821000000102', weight: 1 },
      { code: '846371000000103', weight: 1 },
    ],
    significance: 'major',
    earliestOnsetAge: 25,
    inactiveShare: 0.02,
    medications: [
      {
        chance: 0.85,
        options: [AMLODIPINE_5, RAMIPRIL_2_5, RAMIPRIL_5, LISINOPRIL_10, LOSARTAN_50, INDAPAMIDE_MR, CANDESARTAN_8],
      },
      { chance: 0.35, options: [AMLODIPINE_10, BENDROFLUMETHIAZIDE, RAMIPRIL_10, LOSARTAN_50] },
      { chance: 0.05, options: [DOXAZOSIN, SPIRONOLACTONE] },
    ],
    monitoring: [
      { panel: 'blood-pressure', perYear: 2 },
      { panel: 'renal', perYear: 1 },
      { panel: 'qrisk', perYear: 0.2 },
    ],
    review: { by: 'nurse', perYear: 1, topic: 'Hypertension review' },
    reviewNarrative: [
      'Hypertension review. No headaches, chest pain or breathlessness.',
      'Home BP readings reviewed, mostly at target.',
      'Taking medication regularly, no side effects reported.',
      'Lifestyle advice given: salt, alcohol, exercise.',
    ],
  },
  'diabetes-type-2': {
    problemCodes: [
      { code: '44054006', weight: 10 },
      { code: '313436004', weight: 2 },
      { code: '237599002', weight: 1 },
    ],
    significance: 'major',
    earliestOnsetAge: 30,
    inactiveShare: 0.02,
    medications: [
      { chance: 0.85, options: [METFORMIN, METFORMIN, METFORMIN_MR] },
      { chance: 0.3, options: [GLICLAZIDE, SITAGLIPTIN, EMPAGLIFLOZIN, DAPAGLIFLOZIN] },
      { chance: 0.08, options: [INSULIN_GLARGINE] },
      { chance: 0.7, options: [ATORVASTATIN_20, ATORVASTATIN_20, SIMVASTATIN_40] },
    ],
    monitoring: [
      { panel: 'hba1c', perYear: 2 },
      { panel: 'blood-pressure', perYear: 2 },
      { panel: 'renal', perYear: 1 },
      { panel: 'urine-acr', perYear: 1 },
      { panel: 'lipids', perYear: 1 },
      { panel: 'bmi', perYear: 1 },
    ],
    review: { by: 'nurse', perYear: 2, topic: 'Diabetes review' },
    reviewNarrative: [
      'Diabetic review. Feet checked: pulses palpable, sensation intact.',
      'HbA1c discussed; diet and activity reviewed.',
      'Retinal screening up to date.',
      'No hypoglycaemic episodes reported.',
    ],
  },
  'diabetes-type-1': {
    problemCodes: [
      { code: '46635009', weight: 8 },
      { code: '313435000', weight: 2 },
    ],
    significance: 'major',
    earliestOnsetAge: 3,
    inactiveShare: 0,
    medications: [
      { chance: 1, options: [INSULIN_GLARGINE] },
      { chance: 0.4, options: [ATORVASTATIN_20] },
    ],
    monitoring: [
      { panel: 'hba1c', perYear: 2 },
      { panel: 'blood-pressure', perYear: 1 },
      { panel: 'renal', perYear: 1 },
      { panel: 'urine-acr', perYear: 1 },
      { panel: 'lipids', perYear: 1 },
      { panel: 'bmi', perYear: 1 },
    ],
    review: { by: 'nurse', perYear: 1, topic: 'Diabetes review' },
    reviewNarrative: [
      'Type 1 diabetes review. Under diabetes specialist team for insulin adjustment.',
      'Injection sites checked, no lipohypertrophy.',
      'Hypo awareness intact. Driving advice reiterated.',
    ],
  },
  asthma: {
    problemCodes: [
      { code: '195967001', weight: 10 },
      { code: '389145006', weight: 2 },
      { code: '31387002', weight: 1 },
      { code: '370218001', weight: 1 },
    ],
    significance: 'minor',
    earliestOnsetAge: 6,
    inactiveShare: 0.2,
    medications: [
      { chance: 0.95, options: [SALBUTAMOL] },
      { chance: 0.7, options: [BECLOMETASONE, BECLOMETASONE, BECLOMETASONE_FORMOTEROL, BUDESONIDE_FORMOTEROL] },
      { chance: 0.1, options: [MONTELUKAST] },
      { chance: 0.3, options: [PREDNISOLONE], acuteEpisodesPerYear: 0.3 },
    ],
    monitoring: [{ panel: 'bmi', perYear: 0.3 }],
    review: { by: 'nurse', perYear: 1, topic: 'Asthma review' },
    reviewNarrative: [
      'Asthma review. Inhaler technique checked and satisfactory.',
      'Personalised asthma action plan updated.',
      'Night-time symptoms less than once a week; reliever use low.',
    ],
  },
  copd: {
    problemCodes: [
      { code: '13645005', weight: 10 },
      { code: '313296004', weight: 2 },
      { code: '313297008', weight: 2 },
      { code: '87433001', weight: 1 },
    ],
    significance: 'major',
    earliestOnsetAge: 40,
    inactiveShare: 0,
    medications: [
      { chance: 1, options: [SALBUTAMOL] },
      { chance: 0.6, options: [BECLOMETASONE_FORMOTEROL, BUDESONIDE_FORMOTEROL] },
      { chance: 0.2, options: [CARBOCISTEINE] },
      { chance: 0.6, options: [PREDNISOLONE], acuteEpisodesPerYear: 0.6 },
      { chance: 0.6, options: [DOXYCYCLINE], acuteEpisodesPerYear: 0.6 },
    ],
    monitoring: [
      { panel: 'bmi', perYear: 0.5 },
      { panel: 'pulse', perYear: 1 },
    ],
    review: { by: 'nurse', perYear: 1, topic: 'COPD review' },
    reviewNarrative: [
      'COPD review. MRC breathlessness grade unchanged.',
      'Inhaler technique checked. Rescue pack explained.',
      'Smoking cessation discussed. Pulmonary rehab offered.',
    ],
  },
  depression: {
    problemCodes: [
      { code: '35489007', weight: 8 },
      { code: '310495003', weight: 2 },
      { code: '310496002', weight: 2 },
      { code: '191616006', weight: 1 },
    ],
    significance: 'major',
    earliestOnsetAge: 16,
    inactiveShare: 0.45,
    medications: [{ chance: 0.75, options: [SERTRALINE_50, CITALOPRAM, FLUOXETINE, MIRTAZAPINE_15, VENLAFAXINE] }],
    monitoring: [],
    review: { by: 'gp', perYear: 1.5, topic: 'Depression review' },
    reviewNarrative: [
      'Mood review. PHQ-9 completed and discussed.',
      'Sleeping better, appetite improved. No thoughts of self-harm.',
      'Continue antidepressant; review in 3 months. Safety-netting advice given.',
    ],
    referral: {
      code: '308448008',
      chance: 0.3,
      service: 'NHS Talking Therapies',
      reason: 'Low mood; would like talking therapy.',
    },
  },
  anxiety: {
    problemCodes: [
      { code: '197480006', weight: 6 },
      { code: '21897009', weight: 3 },
      { code: '48694002', weight: 2 },
    ],
    significance: 'minor',
    earliestOnsetAge: 12,
    inactiveShare: 0.6,
    medications: [
      { chance: 0.3, options: [SERTRALINE_50, CITALOPRAM] },
      { chance: 0.15, options: [PROPRANOLOL_10] },
    ],
    monitoring: [],
    review: { by: 'gp', perYear: 0.5, topic: 'Anxiety' },
    reviewNarrative: [
      'Anxiety symptoms discussed. GAD-7 completed.',
      'Self-help resources and breathing techniques explained.',
    ],
    referral: {
      code: '308448008',
      chance: 0.25,
      service: 'NHS Talking Therapies',
      reason: 'Generalised anxiety; CBT requested.',
    },
  },
  ckd: {
    problemCodes: [
      { code: '433144002', weight: 4 },
      { code: '700378005', weight: 4 },
      { code: '700379002', weight: 2 },
      { code: '431857002', weight: 1 },
    ],
    significance: 'major',
    earliestOnsetAge: 40,
    inactiveShare: 0,
    medications: [
      { chance: 0.5, options: [RAMIPRIL_2_5, LOSARTAN_50] },
      { chance: 0.5, options: [ATORVASTATIN_20] },
    ],
    monitoring: [
      { panel: 'renal', perYear: 2 },
      { panel: 'urine-acr', perYear: 1 },
      { panel: 'blood-pressure', perYear: 1 },
    ],
    review: { by: 'gp', perYear: 1, topic: 'Chronic kidney disease review' },
    reviewNarrative: ['CKD review. eGFR stable. Nephrotoxic drugs avoided.', 'BP at target. Sick day rules explained.'],
  },
  chd: {
    problemCodes: [
      { code: '414545008', weight: 4 },
      { code: '194828000', weight: 3 },
      { code: '22298006', weight: 2 },
      { code: '1755008', weight: 1 },
    ],
    significance: 'major',
    earliestOnsetAge: 40,
    inactiveShare: 0,
    medications: [
      { chance: 0.85, options: [ASPIRIN_75] },
      { chance: 0.8, options: [ATORVASTATIN_80] },
      { chance: 0.6, options: [BISOPROLOL_2_5, BISOPROLOL_5] },
      { chance: 0.65, options: [GTN_SPRAY] },
      { chance: 0.15, options: [ISOSORBIDE_MONONITRATE] },
      { chance: 0.15, options: [CLOPIDOGREL] },
    ],
    monitoring: [
      { panel: 'blood-pressure', perYear: 1 },
      { panel: 'lipids', perYear: 1 },
      { panel: 'pulse', perYear: 1 },
    ],
    review: { by: 'gp', perYear: 1, topic: 'Coronary heart disease review' },
    reviewNarrative: [
      'CHD review. No angina at rest. GTN used rarely.',
      'Cholesterol reviewed; continue high-intensity statin.',
    ],
  },
  'atrial-fibrillation': {
    problemCodes: [
      { code: '49436004', weight: 6 },
      { code: '282825002', weight: 2 },
      { code: '440028005', weight: 2 },
    ],
    significance: 'major',
    earliestOnsetAge: 45,
    inactiveShare: 0.03,
    medications: [
      { chance: 0.85, options: [APIXABAN_5, APIXABAN_5, RIVAROXABAN, EDOXABAN, WARFARIN_1] },
      { chance: 0.6, options: [BISOPROLOL_2_5] },
      { chance: 0.1, options: [DIGOXIN] },
    ],
    monitoring: [
      { panel: 'pulse', perYear: 1 },
      { panel: 'renal', perYear: 1 },
      { panel: 'fbc', perYear: 1 },
    ],
    review: { by: 'gp', perYear: 1, topic: 'Atrial fibrillation review' },
    reviewNarrative: [
      'AF review. Rate controlled. CHA2DS2-VASc reviewed; anticoagulation continued.',
      'No bleeding reported.',
    ],
  },
  'heart-failure': {
    problemCodes: [
      { code: '84114007', weight: 6 },
      { code: '42343007', weight: 2 },
      { code: '703272007', weight: 2 },
    ],
    significance: 'major',
    earliestOnsetAge: 50,
    inactiveShare: 0,
    medications: [
      { chance: 0.7, options: [RAMIPRIL_2_5, RAMIPRIL_5] },
      { chance: 0.7, options: [BISOPROLOL_2_5] },
      { chance: 0.7, options: [FUROSEMIDE_40] },
      { chance: 0.3, options: [SPIRONOLACTONE] },
      { chance: 0.25, options: [DAPAGLIFLOZIN] },
    ],
    monitoring: [
      { panel: 'renal', perYear: 2 },
      { panel: 'bmi', perYear: 1 },
      { panel: 'pulse', perYear: 1 },
    ],
    review: { by: 'gp', perYear: 1, topic: 'Heart failure review' },
    reviewNarrative: [
      'Heart failure review. Ankles mildly swollen. Weight stable.',
      'Daily weights advised; fluid advice given.',
    ],
  },
  'stroke-tia': {
    problemCodes: [
      { code: '230690007', weight: 4 },
      { code: '422504002', weight: 2 },
      { code: '266257000', weight: 3 },
    ],
    significance: 'major',
    earliestOnsetAge: 40,
    inactiveShare: 0.3,
    medications: [
      { chance: 0.8, options: [CLOPIDOGREL] },
      { chance: 0.8, options: [ATORVASTATIN_80] },
    ],
    monitoring: [
      { panel: 'blood-pressure', perYear: 1 },
      { panel: 'lipids', perYear: 1 },
    ],
    review: { by: 'gp', perYear: 1, topic: 'Stroke review' },
    reviewNarrative: [
      'Post-stroke review. Mobility improving with community physiotherapy.',
      'Secondary prevention reviewed.',
    ],
  },
  pad: {
    problemCodes: [
      { code: '840580004', weight: 4 },
      { code: '400047006', weight: 2 },
      { code: '63491006', weight: 1 },
    ],
    significance: 'major',
    earliestOnsetAge: 45,
    inactiveShare: 0,
    medications: [
      { chance: 0.8, options: [CLOPIDOGREL] },
      { chance: 0.7, options: [ATORVASTATIN_80] },
    ],
    monitoring: [
      { panel: 'blood-pressure', perYear: 1 },
      { panel: 'lipids', perYear: 1 },
    ],
    review: { by: 'gp', perYear: 1, topic: 'Peripheral arterial disease review' },
    reviewNarrative: ['PAD review. Claudication distance stable. Feet checked.'],
  },
  hypothyroidism: {
    problemCodes: [
      { code: '40930008', weight: 8 },
      { code: '237520009', weight: 1 },
      { code: '54823002', weight: 1 },
    ],
    significance: 'minor',
    earliestOnsetAge: 15,
    inactiveShare: 0.05,
    medications: [
      { chance: 0.95, options: [LEVOTHYROXINE_25, LEVOTHYROXINE_50, LEVOTHYROXINE_100, LEVOTHYROXINE_100] },
    ],
    monitoring: [{ panel: 'thyroid', perYear: 1 }],
    review: { by: 'pharmacist', perYear: 1, topic: 'Thyroid function review' },
    reviewNarrative: ['TFTs reviewed; continue current levothyroxine dose.'],
  },
  obesity: {
    problemCodes: [
      { code: '162864005', weight: 5 },
      { code: '914721000000105', weight: 2 },
      { code: '914731000000107', weight: 1 },
      { code: '408512008', weight: 1 },
    ],
    significance: 'minor',
    earliestOnsetAge: 18,
    inactiveShare: 0.1,
    medications: [],
    monitoring: [{ panel: 'bmi', perYear: 1 }],
    review: { by: 'nurse', perYear: 0.5, topic: 'Weight management' },
    reviewNarrative: ['Weight management discussed. Referral to local weight management service offered.'],
  },
  cancer: {
    problemCodes: [
      { code: '254837009', weight: 4 },
      { code: '399068003', weight: 4 },
      { code: '363406005', weight: 2 },
      { code: '363358000', weight: 1 },
      { code: '93655004', weight: 1 },
    ],
    significance: 'major',
    earliestOnsetAge: 25,
    inactiveShare: 0.5,
    medications: [],
    monitoring: [{ panel: 'fbc', perYear: 0.5 }],
    review: { by: 'gp', perYear: 1, topic: 'Cancer care review' },
    reviewNarrative: [
      'Cancer care review. Under oncology follow-up.',
      'Support services and Macmillan contact details given.',
    ],
  },
  'severe-mental-illness': {
    problemCodes: [
      { code: '58214004', weight: 3 },
      { code: '13746004', weight: 3 },
      { code: '69322001', weight: 1 },
    ],
    significance: 'major',
    earliestOnsetAge: 17,
    inactiveShare: 0.05,
    medications: [{ chance: 0.6, options: [QUETIAPINE] }],
    monitoring: [
      { panel: 'bmi', perYear: 1 },
      { panel: 'blood-pressure', perYear: 1 },
      { panel: 'lipids', perYear: 1 },
      { panel: 'hba1c', perYear: 1 },
    ],
    review: { by: 'gp', perYear: 1, topic: 'Severe mental illness physical health check' },
    reviewNarrative: [
      'Annual physical health check for SMI. Under community mental health team.',
      'Mental state stable.',
    ],
  },
  epilepsy: {
    problemCodes: [
      { code: '84757009', weight: 6 },
      { code: '352818000', weight: 1 },
    ],
    significance: 'major',
    earliestOnsetAge: 2,
    inactiveShare: 0.1,
    medications: [{ chance: 0.8, options: [LEVETIRACETAM] }],
    monitoring: [],
    review: { by: 'gp', perYear: 1, topic: 'Epilepsy review' },
    reviewNarrative: ['Epilepsy review. Seizure-free for over 12 months. Driving advice given.'],
  },
  dementia: {
    problemCodes: [
      { code: '52448006', weight: 4 },
      { code: '26929004', weight: 4 },
      { code: '429998004', weight: 2 },
    ],
    significance: 'major',
    earliestOnsetAge: 60,
    inactiveShare: 0,
    medications: [{ chance: 0.55, options: [DONEPEZIL] }],
    monitoring: [{ panel: 'bmi', perYear: 0.5 }],
    review: { by: 'gp', perYear: 1, topic: 'Dementia care plan review' },
    reviewNarrative: ['Dementia review with daughter present. Care plan updated.', 'Carer support discussed.'],
  },
  'rheumatoid-arthritis': {
    problemCodes: [
      { code: '69896004', weight: 6 },
      { code: '239791005', weight: 2 },
    ],
    significance: 'major',
    earliestOnsetAge: 25,
    inactiveShare: 0,
    medications: [
      { chance: 0.7, options: [METHOTREXATE] },
      { chance: 0.7, options: [FOLIC_ACID] },
      { chance: 0.3, options: [HYDROXYCHLOROQUINE] },
    ],
    monitoring: [
      { panel: 'fbc', perYear: 4 },
      { panel: 'liver', perYear: 4 },
      { panel: 'renal', perYear: 2 },
    ],
    review: { by: 'gp', perYear: 1, topic: 'Rheumatoid arthritis review' },
    reviewNarrative: ['RA review. DMARD monitoring bloods satisfactory.', 'Shared care with rheumatology continues.'],
  },
  osteoarthritis: {
    problemCodes: [
      { code: '396275006', weight: 5 },
      { code: '239873007', weight: 3 },
      { code: '239872002', weight: 2 },
    ],
    significance: 'minor',
    earliestOnsetAge: 40,
    inactiveShare: 0.05,
    medications: [
      { chance: 0.5, options: [PARACETAMOL] },
      { chance: 0.2, options: [NAPROXEN_250, NAPROXEN_500] },
      { chance: 0.15, options: [CO_CODAMOL] },
      { chance: 0.15, options: [OMEPRAZOLE, LANSOPRAZOLE_15] },
    ],
    monitoring: [],
    review: { by: 'gp', perYear: 0.4, topic: 'Joint pain' },
    reviewNarrative: [
      'Knee pain, worse on stairs. Crepitus on examination.',
      'Exercise advice and analgesia discussed.',
    ],
    referral: {
      code: '308447003',
      chance: 0.35,
      service: 'Community musculoskeletal physiotherapy',
      reason: 'Osteoarthritis; strengthening exercises.',
    },
  },
  osteoporosis: {
    problemCodes: [
      { code: '64859006', weight: 5 },
      { code: '102447009', weight: 3 },
    ],
    significance: 'minor',
    earliestOnsetAge: 50,
    inactiveShare: 0,
    medications: [],
    monitoring: [{ panel: 'vitamin-d', perYear: 0.5 }],
    review: { by: 'gp', perYear: 0.5, topic: 'Osteoporosis review' },
    reviewNarrative: ['Bone health reviewed. Falls risk discussed.'],
  },
  gout: {
    problemCodes: [{ code: '90560007', weight: 1 }],
    significance: 'minor',
    earliestOnsetAge: 25,
    inactiveShare: 0.3,
    medications: [
      { chance: 0.5, options: [ALLOPURINOL_100, ALLOPURINOL_300] },
      { chance: 0.4, options: [COLCHICINE], acuteEpisodesPerYear: 0.5 },
      { chance: 0.2, options: [NAPROXEN_500], acuteEpisodesPerYear: 0.3 },
    ],
    monitoring: [{ panel: 'renal', perYear: 0.5 }],
    review: { by: 'gp', perYear: 0.5, topic: 'Gout' },
    reviewNarrative: ['Gout flare in right first MTP joint. Hot and swollen.', 'Urate-lowering therapy discussed.'],
  },
  'learning-disability': {
    problemCodes: [
      { code: '110359009', weight: 4 },
      { code: '41040004', weight: 1 },
    ],
    significance: 'major',
    earliestOnsetAge: 0,
    inactiveShare: 0,
    medications: [],
    monitoring: [
      { panel: 'bmi', perYear: 1 },
      { panel: 'blood-pressure', perYear: 1 },
    ],
    review: { by: 'gp', perYear: 1, topic: 'Learning disability annual health check' },
    reviewNarrative: [
      'Annual learning disability health check with support worker present.',
      'Health action plan updated.',
    ],
  },
};

/**
 * Short-lived problems most GP records carry (episodes, mostly now inactive) and what is usually
 * prescribed. No national figure exists for these (prevalence.md notes the gap); the chances are
 * illustrative, chosen so an adult record typically has one or two.
 */
export interface EpisodeSpec {
  code: string;
  chance: number;
  minAge: number;
  maxAge?: number;
  sex?: 'female' | 'male';
  medication?: string;
  narrative: string;
  inactiveShare: number;
  referral?: ConditionRecordSpec['referral'];
}

export const episodeCatalogue: readonly EpisodeSpec[] = [
  {
    code: '235595009',
    chance: 0.1,
    minAge: 20,
    medication: OMEPRAZOLE,
    narrative: 'Heartburn and reflux after meals. No red flags. Trial of PPI.',
    inactiveShare: 0.6,
  },
  {
    code: '10743008',
    chance: 0.06,
    minAge: 16,
    medication: '317161009',
    narrative: 'Intermittent abdominal pain and bloating, relieved by defecation. Bloods normal.',
    inactiveShare: 0.5,
  },
  {
    code: '37796009',
    chance: 0.08,
    minAge: 12,
    medication: '322815004',
    narrative: 'Unilateral throbbing headaches with photophobia. Neuro exam normal.',
    inactiveShare: 0.5,
  },
  {
    code: '279039007',
    chance: 0.12,
    minAge: 18,
    medication: NAPROXEN_250,
    narrative: 'Low back pain after lifting. No red flags. Keep active.',
    inactiveShare: 0.85,
    referral: {
      code: '308447003',
      chance: 0.3,
      service: 'Community musculoskeletal physiotherapy',
      reason: 'Mechanical low back pain.',
    },
  },
  {
    code: '43116000',
    chance: 0.08,
    minAge: 0,
    medication: '346992009',
    narrative: 'Dry itchy patches on flexures. Emollients and mild steroid.',
    inactiveShare: 0.6,
  },
  {
    code: '68566005',
    chance: 0.12,
    minAge: 16,
    sex: 'female',
    medication: '39108511000001108',
    narrative: 'Dysuria and frequency for 2 days. Urine dip positive for nitrites.',
    inactiveShare: 1,
  },
  {
    code: '367498001',
    chance: 0.1,
    minAge: 6,
    medication: '320818006',
    narrative: 'Seasonal sneezing and itchy eyes. Antihistamine advised.',
    inactiveShare: 0.4,
  },
  {
    code: '193462001',
    chance: 0.05,
    minAge: 25,
    medication: '321175006',
    narrative: 'Difficulty sleeping. Sleep hygiene discussed; short course only.',
    inactiveShare: 0.8,
  },
  {
    code: '87522002',
    chance: 0.04,
    minAge: 16,
    sex: 'female',
    medication: '327412003',
    narrative: 'Tiredness. Ferritin low. Iron replacement started.',
    inactiveShare: 0.8,
  },
  {
    code: '266569009',
    chance: 0.15,
    minAge: 55,
    sex: 'male',
    medication: '325728006',
    narrative: 'Nocturia and poor stream. Prostate smooth and moderately enlarged.',
    inactiveShare: 0.1,
  },
  {
    code: '165232002',
    chance: 0.06,
    minAge: 45,
    sex: 'female',
    medication: '415557006',
    narrative: 'Urgency and leakage. Pelvic floor exercises advised.',
    inactiveShare: 0.4,
  },
  {
    code: '69878008',
    chance: 0.04,
    minAge: 16,
    maxAge: 45,
    sex: 'female',
    narrative: 'Irregular periods. Ultrasound shows polycystic ovaries.',
    inactiveShare: 0.3,
  },
  {
    code: '128053003',
    chance: 0.01,
    minAge: 30,
    medication: APIXABAN_5,
    narrative: 'Swollen painful calf. Doppler confirmed DVT.',
    inactiveShare: 1,
  },
];

/** Acute prescribing for short illnesses, with the penicillin-free alternative. */
export const acuteInfections: readonly {
  reason: string;
  narrative: string;
  medication: string;
  penicillinAllergicAlternative?: string;
  sex?: 'female' | 'male';
}[] = [
  {
    reason: 'Chest infection',
    narrative: 'Productive cough and fever for 5 days. Crackles right base. Sats 96% on air.',
    medication: '39732411000001106',
    penicillinAllergicAlternative: '41946511000001109',
  },
  {
    reason: 'Sore throat',
    narrative: 'Sore throat, FeverPAIN 4. Tonsillar exudate.',
    medication: '41953811000001101',
    penicillinAllergicAlternative: '41946511000001109',
  },
  {
    reason: 'Cellulitis',
    narrative: 'Red hot swollen area on lower leg, no systemic features.',
    medication: '39692211000001107',
    penicillinAllergicAlternative: '41946511000001109',
  },
  {
    reason: 'Urinary tract infection',
    narrative: 'Dysuria and frequency. No loin pain. Urine dip leucocytes and nitrites.',
    medication: '324431001',
    sex: 'female',
  },
  {
    reason: 'Sinusitis',
    narrative: 'Facial pain and purulent discharge for 12 days despite self-care.',
    medication: '39732211000001107',
    penicillinAllergicAlternative: '41948311000001104',
  },
  {
    reason: 'Shingles',
    narrative: 'Painful dermatomal vesicular rash, onset 2 days ago.',
    medication: '41485911000001101',
  },
];

/** Self-limiting reasons for consulting that need no prescription. */
export const minorConsultations: readonly string[] = [
  'Viral upper respiratory tract infection. Self-care advice and safety-netting given.',
  'Dizziness on standing. Lying and standing BP checked. Advised fluids.',
  'Tiredness. Bloods requested: FBC, U&E, TFTs.',
  'Fit note issued for 2 weeks.',
  'Results discussed by telephone. No action needed.',
  'Medication query answered.',
  'Mole on back checked. Benign features; reassured.',
  'Ear wax. Olive oil drops advised.',
  'Minor injury to wrist. No bony tenderness. Advice given.',
  'Travel health advice.',
];

/** Medicines an adult commonly has as one-off acute prescriptions. */
export const commonAcuteMedicines: readonly string[] = [PARACETAMOL, '329653008', CO_CODAMOL, '320822001', '320697002'];

/** Long-term contraception for women of reproductive age. */
export const contraceptives: readonly string[] = ['400419002', '41877111000001108'];
