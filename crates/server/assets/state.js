// The page's state: the open scenario, its plan, and the table rows built for it.

export const state = {
  scenario: null,
  plan: null,
  place: null,          // /api/jurisdictions/{geoid} for the plan's place
  gapTitles: {},        // gap area id -> title
  payerNames: {},       // payer id -> name (GET /api/catalog)
  dollarYears: null,    // {first, last} of the embedded CPI-U
  builtKey: '',         // structure the tables were built for
  rows: new Map(),      // program id -> {need, exists, gap, cov, cost, ...}
  areaRows: new Map(),  // gap area id -> cells
  driverRows: new Map(),
  saved: null,          // {id, revision, name} of the open saved plan
  writesNeedToken: false,
  seq: 0,
  chartSeq: 0,
  lastHash: '',
  urls: {},
};
