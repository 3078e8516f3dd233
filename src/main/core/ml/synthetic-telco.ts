/**
 * A deterministic stand-in for the IBM Telco customer churn CSV (7043 rows, ~26.5% churn), for tests and
 * benchmarks on machines without the real file. Same columns, value spellings and quirks: customerID,
 * "No internet service" / "No phone service" levels, SeniorCitizen as 0/1, and a blank (" ") TotalCharges
 * for customers with zero tenure. Churn follows a logistic model with the real set's main effects (contract,
 * tenure, fiber, electronic check, missing tech support/security, charges) plus interactions, so tree
 * models have something to find; `trueProbability` is returned for an oracle AUC.
 */
import { sigmoid } from './matrix';
import { Prng } from './prng';

export const TELCO_HEADER = [
  'customerID',
  'gender',
  'SeniorCitizen',
  'Partner',
  'Dependents',
  'tenure',
  'PhoneService',
  'MultipleLines',
  'InternetService',
  'OnlineSecurity',
  'OnlineBackup',
  'DeviceProtection',
  'TechSupport',
  'StreamingTV',
  'StreamingMovies',
  'Contract',
  'PaperlessBilling',
  'PaymentMethod',
  'MonthlyCharges',
  'TotalCharges',
  'Churn',
];

export interface TelcoSample {
  header: string[];
  rows: string[][];
  trueProbability: number[];
}

const yn = (b: boolean): string => (b ? 'Yes' : 'No');

export const generateTelco = (n = 7043, seed = 7043): TelcoSample => {
  const rng = new Prng(seed);
  const rows: string[][] = [];
  const trueProbability: number[] = [];
  const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  for (let i = 0; i < n; i++) {
    const id = `${String(1000 + rng.int(9000))}-${Array.from({ length: 5 }, () => letters[rng.int(26)]).join('')}`;
    const gender = rng.next() < 0.505 ? 'Male' : 'Female';
    const senior = rng.next() < 0.162;
    const partner = rng.next() < 0.483;
    const dependents = rng.next() < (partner ? 0.52 : 0.1);
    const r = rng.next();
    let tenure = r < 0.0016 ? 0 : r < 0.14 ? 1 + rng.int(3) : r < 0.25 ? 66 + rng.int(7) : 1 + rng.int(72);
    tenure = Math.min(72, tenure);
    const cr = rng.next();
    const pTwo = 0.05 + 0.45 * (tenure / 72);
    const pOne = 0.12 + 0.18 * (tenure / 72);
    const contract = cr < pTwo ? 'Two year' : cr < pTwo + pOne ? 'One year' : 'Month-to-month';
    const phone = rng.next() < 0.903;
    const multi = phone ? rng.next() < 0.3 + 0.4 * (tenure / 72) : false;
    const ir = rng.next();
    const internet = ir < 0.44 ? 'Fiber optic' : ir < 0.78 ? 'DSL' : 'No';
    const hasNet = internet !== 'No';
    const svc = (p: number): boolean => hasNet && rng.next() < p + 0.25 * (tenure / 72) - 0.1;
    const security = svc(0.32);
    const backup = svc(0.4);
    const protection = svc(0.4);
    const support = svc(0.33);
    const tv = svc(0.45);
    const movies = svc(0.46);
    const paperless = rng.next() < (internet === 'Fiber optic' ? 0.75 : 0.5);
    const pm = rng.pick(
      ['Electronic check', 'Mailed check', 'Bank transfer (automatic)', 'Credit card (automatic)'],
      contract === 'Month-to-month' ? [0.47, 0.2, 0.17, 0.16] : [0.17, 0.24, 0.3, 0.29],
    );
    let monthly = (phone ? 20 : 0) + (multi ? 5 : 0);
    if (internet === 'DSL') monthly += 25;
    if (internet === 'Fiber optic') monthly += 50;
    for (const s of [security, backup, protection, support]) if (s) monthly += 5;
    for (const s of [tv, movies]) if (s) monthly += 10;
    monthly = Math.max(18.25, monthly + rng.normal() * 1.5);
    if (!hasNet && !phone) monthly = 18.25 + rng.next() * 2;
    const total = tenure * monthly * (0.97 + 0.06 * rng.next());

    let z = -1.75;
    z += contract === 'Month-to-month' ? 1.0 : contract === 'One year' ? -0.35 : -1.4;
    z += -0.55 * Math.log1p(tenure) + 0.9;
    z += internet === 'Fiber optic' ? 0.75 : internet === 'DSL' ? 0 : -0.75;
    z += pm === 'Electronic check' ? 0.4 : 0;
    z += hasNet && !support ? 0.3 : 0;
    z += hasNet && !security ? 0.3 : 0;
    z += paperless ? 0.3 : 0;
    z += senior ? 0.2 : 0;
    z += dependents ? -0.15 : 0;
    z += 0.01 * (monthly - 65);
    // non-linear: month-to-month fiber customers in their first year churn much more
    z += contract === 'Month-to-month' && internet === 'Fiber optic' && tenure <= 12 ? 0.5 : 0;
    z += tv && movies && internet === 'Fiber optic' ? 0.25 : 0;
    const p = sigmoid(z);
    const churn = rng.next() < p;
    trueProbability.push(p);
    const net = (b: boolean): string => (hasNet ? yn(b) : 'No internet service');
    rows.push([
      id,
      gender,
      senior ? '1' : '0',
      yn(partner),
      yn(dependents),
      String(tenure),
      yn(phone),
      phone ? yn(multi) : 'No phone service',
      internet,
      net(security),
      net(backup),
      net(protection),
      net(support),
      net(tv),
      net(movies),
      contract,
      yn(paperless),
      pm,
      monthly.toFixed(2),
      tenure === 0 ? ' ' : total.toFixed(2),
      yn(churn),
    ]);
  }
  return { header: [...TELCO_HEADER], rows, trueProbability };
};

const quote = (s: string): string => (/[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

export const toCsv = (header: string[], rows: string[][]): string =>
  `${[header, ...rows].map((r) => r.map(quote).join(',')).join('\r\n')}\r\n`;
