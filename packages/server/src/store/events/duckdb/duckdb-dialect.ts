import type { SqlDialect, SqlType } from "../sql-dialect.js";

const jsonPath = (path: readonly (string | number)[]): string => {
  let text = "$";
  for (const segment of path)
    text += typeof segment === "number" ? `[${segment}]` : `."${segment.replaceAll('"', '\\"')}"`;
  return `'${text.replaceAll("'", "''")}'`;
};

const typeName = (type: SqlType): string =>
  typeof type === "object"
    ? `${typeName(type.listOf)}[]`
    : { number: "DOUBLE", string: "VARCHAR", boolean: "BOOLEAN", json: "JSON" }[type];

const units = { hour: "hour", day: "day", week: "week", month: "month", quarter: "quarter", year: "year" };

export const duckdbDialect: SqlDialect = {
  engine: "duckdb",
  param: (name) => `$${name}`,
  ident: (name) => `"${name.replaceAll('"', '""')}"`,
  epochMs: (column) => `epoch_ms(${column})::DOUBLE`,
  timestampOf: (ms) => `make_timestamp(CAST(${ms} AS BIGINT) * 1000)`,
  nullOf: (type) => `CAST(NULL AS ${typeName(type)})`,
  // A literal with a fraction would be a DECIMAL, whose casts round halves away from zero (a double's, to even).
  number: (value) => `${value}::DOUBLE`,

  jsonGet: (json, path) => `json_extract(${json}, ${jsonPath(path)})`,
  jsonText: (json) =>
    `(CASE WHEN json_type(${json}) IN ('OBJECT', 'ARRAY', 'NULL') THEN NULL ELSE json_extract_string(${json}, '$') END)`,
  jsonNumber: (json) => `TRY_CAST(json_extract_string(${json}, '$') AS DOUBLE)`,
  jsonBoolean: (json) => `(CASE WHEN json_type(${json}) = 'BOOLEAN' THEN ${json}::BOOLEAN END)`,
  parseJson: (text) => `(CASE WHEN json_valid(${text}) THEN (${text})::JSON END)`,
  jsonSerialize: (json) => `CAST(${json} AS VARCHAR)`,
  toJson: (value) => `to_json(${value})`,
  jsonKind: (json) =>
    `(CASE coalesce(json_type(${json}), 'NULL') WHEN 'VARCHAR' THEN 'string' WHEN 'BOOLEAN' THEN 'boolean' WHEN 'NULL' THEN 'null' WHEN 'ARRAY' THEN 'list' WHEN 'OBJECT' THEN 'object' ELSE 'number' END)`,
  jsonEntries: (json) =>
    `JOIN LATERAL (SELECT key AS __key, value AS __value FROM json_each(CASE WHEN json_type(${json}) = 'OBJECT' THEN ${json} END)) kv ON TRUE`,

  numberText: (value) =>
    `(CASE WHEN ${value} = trunc(${value}) AND abs(${value}) < 1e15 THEN CAST(CAST(${value} AS BIGINT) AS VARCHAR) ELSE CAST(${value} AS VARCHAR) END)`,
  round: (value) => `round(${value})`,
  md5: (text) => `md5(${text})`,
  regexMatches: (text, pattern) => `regexp_matches(${text}, ${pattern})`,
  regexExtract: (text, pattern) => `nullif(regexp_extract(${text}, ${pattern}, 1), '')`,
  startsWith: (text, prefix) => `starts_with(${text}, ${prefix})`,
  containsText: (text, part) => `contains(${text}, ${part})`,
  lower: (text) => `lower(${text})`,
  upper: (text) => `upper(${text})`,
  textLength: (text) => `length(${text})::DOUBLE`,
  concat: (parts) => `concat(${parts.join(", ")})`,

  listOf: (items) => `list_value(${items.join(", ")})`,
  listLength: (list) => `len(${list})::DOUBLE`,
  listItem: (list, index) => `${list}[CAST(${index} AS BIGINT) + 1]`,
  listContains: (list, item) => `list_contains(${list}, ${item})`,
  split: (text, separator) => `string_split(${text}, ${separator})`,

  truncateTime: (ms, unit) =>
    `epoch_ms(date_trunc('${units[unit]}', make_timestamp(CAST(${ms} AS BIGINT) * 1000)))::DOUBLE`,
  addMonths: (ms, months) =>
    `epoch_ms(make_timestamp(CAST(${ms} AS BIGINT) * 1000) + to_months(CAST(${months} AS INTEGER)))::DOUBLE`,

  countDistinct: (value) => `count(DISTINCT ${value})::DOUBLE`,
  countDistinctTuple: (values) => `count(DISTINCT row(${values.join(", ")}))::DOUBLE`,
  median: (value) => `quantile_cont(${value}, 0.5)`,
  percentile: (value, fraction) => `quantile_cont(${value}, ${fraction})`,
  stddev: (value) => `stddev_samp(${value})`,
  variance: (value) => `var_samp(${value})`,
  listAgg: (value, order) =>
    `coalesce(list(${value} ORDER BY ${order}) FILTER (WHERE ${value} IS NOT NULL), [])`,
  firstValue: (value, order) => `first(${value} ORDER BY ${order})`,
  valueAtMax: (value, by) => `arg_max(${value}, ${by})`,
  bitOrAgg: (value) => `bit_or(${value})`,
  bitCount: (value) => `bit_count(${value})::DOUBLE`,
  countIf: (condition) => `count(*) FILTER (WHERE ${condition})::DOUBLE`,
  concatAgg: (list, order) => `coalesce(flatten(list(${list} ORDER BY ${order})), [])`,
  sortedSet: (list) => `list_sort(list_distinct(${list}))`,
  floorItems: (list, step) => `list_transform(${list}, lambda __x: floor(__x / ${step}) * ${step})`,
  listAverage: (list) => `list_avg(${list})`,
  maskMinutes: (mask, hourMs) =>
    `list_transform(list_filter(range(60), lambda __i: (${mask} >> __i) & 1 = 1), lambda __i: (${hourMs}) + __i * 60000)::DOUBLE[]`,
  jsonObject: (entries) => `json_object(${entries.map(([key, json]) => `${key}, ${json}`).join(", ")})`,
  // The ordered pairs are bound once as __l (a one-item list mapped by a lambda), then cut at the run starts.
  runsAgg: (item, startsRun, order) =>
    `list_transform([coalesce(list({'i': ${item}, 'n': coalesce(${startsRun}, false)} ORDER BY ${order}), [])], lambda __l: list_transform([list_filter(range(len(__l)), lambda __j: __j = 0 OR __l[__j + 1].n)], lambda __s: list_transform(range(len(__s)), lambda __k: list_transform(__l[__s[__k + 1] + 1 : coalesce(__s[__k + 2], len(__l))], lambda __y: __y.i)))[1])[1]`,
  unnestJoin: (list, keepEmpty) => ({
    join: `${keepEmpty ? "LEFT JOIN" : "JOIN"} LATERAL (SELECT unnest(${list}) AS __item, unnest(range(len(${list})))::DOUBLE AS __index) u ON TRUE`,
    item: "u.__item",
    index: "u.__index",
  }),
  profileTable: (table, alias) => `${table} ${alias}`,
};
