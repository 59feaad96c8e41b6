import type { SqlDialect, SqlType, TimeUnit } from "../sql-dialect.js";

// JSON values are Nullable(String) holding JSON text (ClickHouse keeps JSON as text): SQL NULL when absent, the
// text `null` for a JSON null. Lists are arrays, which cannot be Nullable: a null list is an empty one.

const paramTypes = {
  string: "Nullable(String)",
  number: "Nullable(Float64)",
  boolean: "Nullable(Bool)",
} as const;

const typeName = (type: SqlType): string =>
  typeof type === "object"
    ? `Array(${typeName(type.listOf)})`
    : `Nullable(${{ number: "Float64", string: "String", boolean: "Bool", json: "String" }[type]})`;

/** A ClickHouse string literal (backslashes are escapes there). */
const text = (value: string) => `'${value.replaceAll("\\", "\\\\").replaceAll("'", "\\'")}'`;

/**
 * A double as a whole number the way DuckDB casts one (halves to even, as ClickHouse's round() does for
 * doubles), so a fractional time or month count lands where it lands there.
 */
const whole = (value: string) => `toInt64(round(${value}))`;

const msOf = (ms: string) => `fromUnixTimestamp64Milli(${whole(ms)}, 'UTC')`;

/** Halves away from zero, as DuckDB's round() does (ClickHouse's rounds a double's halves to even). */
function roundAway(value: string): string {
  const a = `abs(${value})`;
  return `((floor(${a}) + if(${a} - floor(${a}) >= 0.5, 1, 0)) * sign(${value}))`;
}

/** JSONType's names for a JSON value's kinds. */
const numberTypes = "('Int64', 'UInt64', 'Double')";

/**
 * The value at a path: JSONExtractRaw reads an index into an object too (its n-th member), so an index is
 * only followed where the value before it is a list.
 */
function jsonGet(json: string, path: readonly (string | number)[]): string {
  const args = path.map((segment) => (typeof segment === "number" ? String(segment + 1) : text(segment)));
  if (path.some((segment) => typeof segment === "number" && segment < 0))
    return "CAST(NULL AS Nullable(String))";
  const lists = path.flatMap((segment, i) =>
    typeof segment === "number" ? [`JSONType(${[json, ...args.slice(0, i)].join(", ")}) = 'Array'`] : [],
  );
  const raw = `nullIf(JSONExtractRaw(${[json, ...args].join(", ")}), '')`;
  return lists.length === 0 ? raw : `if(${lists.join(" AND ")}, ${raw}, NULL)`;
}

function toJson(value: string, type: SqlType, depth = 0): string {
  if (type === "json") return value;
  if (type === "boolean") return `multiIf(${value} IS NULL, NULL, ${value}, 'true', 'false')`;
  if (type === "number" || type === "string") return `if(${value} IS NULL, NULL, toJSONString(${value}))`;
  const x = `__j${depth}`;
  return `concat('[', arrayStringConcat(arrayMap(${x} -> ifNull(${toJson(x, type.listOf, depth + 1)}, 'null'), ${value}), ','), ']')`;
}

const day = 86_400_000;
/** Hours, days and weeks (from Monday; 1970-01-05 was one) are whole multiples of a step in UTC. */
const fixedSteps: Partial<Record<TimeUnit, [step: number, offset: number]>> = {
  hour: [3_600_000, 0],
  day: [day, 0],
  week: [7 * day, 4 * day],
};

/** The group's (order, value…) tuples sorted by their first element. */
const sorted = (tuple: string, order: string, only?: string) =>
  `arraySort(__x -> __x.1, ${only ? `groupArrayIf((${order}, ${tuple}), ${only})` : `groupArray((${order}, ${tuple}))`})`;

export const clickhouseDialect: SqlDialect = {
  engine: "clickhouse",
  param: (name, type = "string") => `{${name}:${paramTypes[type]}}`,
  ident: (name) => `\`${name.replaceAll("\\", "\\\\").replaceAll("`", "\\`")}\``,
  epochMs: (column) => `toFloat64(toUnixTimestamp64Milli(${column}))`,
  timestampOf: msOf,
  number: (value) => `toFloat64(${value})`,
  nullOf: (type) =>
    typeof type === "object" ? `CAST([] AS ${typeName(type)})` : `CAST(NULL AS ${typeName(type)})`,

  jsonGet,
  jsonText: (json) =>
    `multiIf(JSONType(${json}) = 'String', JSONExtractString(${json}), JSONType(${json}) IN ${numberTypes} OR JSONType(${json}) = 'Bool', trimBoth(${json}), NULL)`,
  jsonNumber: (json) =>
    `toFloat64OrNull(trimBoth(if(JSONType(${json}) = 'String', JSONExtractString(${json}), if(JSONType(${json}) IN ${numberTypes}, ${json}, ''))))`,
  jsonBoolean: (json) => `if(JSONType(${json}) = 'Bool', CAST(trimBoth(${json}) = 'true', 'Bool'), NULL)`,
  parseJson: (value) => `if(isValidJSON(${value}), ${value}, NULL)`,
  jsonSerialize: (json) => json,
  toJson: (value, type) => toJson(value, type),
  jsonKind: (json) =>
    `multiIf(JSONType(${json}) = 'String', 'string', JSONType(${json}) = 'Bool', 'boolean', JSONType(${json}) = 'Array', 'list', JSONType(${json}) = 'Object', 'object', JSONType(${json}) IN ${numberTypes}, 'number', 'null')`,
  jsonEntries: (json) =>
    `ARRAY JOIN arrayMap(__kv -> CAST(__kv, 'Tuple(__key String, __value Nullable(String))'), JSONExtractKeysAndValuesRaw(if(JSONType(${json}) = 'Object', ifNull(${json}, ''), '{}'))) AS kv`,

  numberText: (value) =>
    `if(${value} = trunc(${value}) AND abs(${value}) < 1e15, toString(toInt64(${value})), toString(${value}))`,
  round: roundAway,
  md5: (value) => `lower(hex(MD5(${value})))`,
  regexMatches: (value, pattern) => `match(${value}, ${pattern})`,
  regexExtract: (value, pattern) => `nullIf(regexpExtract(${value}, ${pattern}, 1), '')`,
  startsWith: (value, prefix) => `startsWith(${value}, ${prefix})`,
  containsText: (value, part) => `(position(${value}, ${part}) > 0)`,
  lower: (value) => `lowerUTF8(${value})`,
  upper: (value) => `upperUTF8(${value})`,
  textLength: (value) => `toFloat64(lengthUTF8(${value}))`,
  // DuckDB's concat skips nulls; ClickHouse's gives null.
  concat: (parts) => `concat(${parts.map((p) => `ifNull(${p}, '')`).join(", ")})`,

  listOf: (items) => `[${items.join(", ")}]`,
  listLength: (list) => `toFloat64(length(${list}))`,
  // Position 0 is none (null, or an empty list for a list of lists); a negative index reads none.
  listItem: (list, index) => `arrayElementOrNull(${list}, if(${index} >= 0, ${whole(index)} + 1, 0))`,
  listContains: (list, item) => `has(${list}, ${item})`,
  split: (value, separator) => `if(${value} IS NULL, [], splitByString(${separator}, ifNull(${value}, '')))`,

  truncateTime: (ms, unit) => {
    const fixed = fixedSteps[unit];
    if (fixed) {
      const [step, offset] = fixed;
      return `(floor((toFloat64(${whole(ms)}) - ${offset}) / ${step}) * ${step} + ${offset})`;
    }
    return `toFloat64(toUnixTimestamp64Milli(toDateTime64(dateTrunc('${unit}', ${msOf(ms)}), 3, 'UTC')))`;
  },
  addMonths: (ms, months) =>
    `toFloat64(toUnixTimestamp64Milli(addMonths(${msOf(ms)}, toInt32(${whole(months)}))))`,

  countDistinct: (value) => `toFloat64(count(DISTINCT ${value}))`,
  countDistinctTuple: (values) => `toFloat64(count(DISTINCT tuple(${values.join(", ")})))`,
  // quantileExactInclusive interpolates between the two nearest values, as DuckDB's quantile_cont does.
  median: (value) => `quantileExactInclusive(0.5)(${value})`,
  percentile: (value, fraction) => `quantileExactInclusive(${fraction})(${value})`,
  stddev: (value) => `if(count(${value}) > 1, stddevSampStable(${value}), NULL)`,
  variance: (value) => `if(count(${value}) > 1, varSampStable(${value}), NULL)`,
  listAgg: (value, order) => `arrayMap(__x -> __x.2, ${sorted(value, order, `${value} IS NOT NULL`)})`,
  // A tuple keeps a null value (argMin skips rows whose value is null).
  firstValue: (value, order) => `tupleElement(argMin(tuple(${value}), ${order}), 1)`,
  valueAtMax: (value, by) => `argMax(${value}, ${by})`,
  bitOrAgg: (value) => `groupBitOr(${value})`,
  bitCount: (value) => `toFloat64(bitCount(${value}))`,
  countIf: (condition) => `toFloat64(countIf(${condition}))`,
  // groupArrayArray over the sorted lists joins them one level deep (arrayFlatten would go deeper).
  concatAgg: (list, order) =>
    `arrayReduce('groupArrayArray', arrayMap(__x -> __x.2, ${sorted(list, order)}))`,
  sortedSet: (list) => `arraySort(arrayDistinct(arrayFilter(__x -> __x IS NOT NULL, ${list})))`,
  floorItems: (list, step) => `arrayMap(__x -> floor(__x / ${step}) * ${step}, ${list})`,
  listAverage: (list) =>
    `if(arrayCount(__x -> __x IS NOT NULL, ${list}) = 0, NULL, arraySum(__x -> ifNull(__x, 0), ${list}) / arrayCount(__x -> __x IS NOT NULL, ${list}))`,
  maskMinutes: (mask, hourMs) =>
    `arrayMap(__i -> toFloat64((${hourMs}) + __i * 60000), arrayFilter(__i -> bitTest(${mask}, __i), range(60)))`,
  jsonObject: (entries) =>
    entries.length === 0
      ? "'{}'"
      : `concat('{', ${entries.map(([key, json]) => `toJSONString(${key}), ':', ifNull(${json}, 'null')`).join(", ',', ")}, '}')`,
  runsAgg: (item, startsRun, order) => {
    const rows = sorted(`${item}, coalesce(${startsRun}, false)`, order);
    return `arraySplit((__i, __s) -> __s, arrayMap(__x -> __x.2, ${rows}), arrayMap(__x -> __x.3, ${rows}))`;
  },
  unnestJoin: (list, keepEmpty) => ({
    join: `${keepEmpty ? "LEFT ARRAY JOIN" : "ARRAY JOIN"} arrayZip(${list}, arrayMap(__i -> toFloat64(__i - 1), arrayEnumerate(${list}))) AS __u`,
    item: keepEmpty ? `if(empty(${list}), NULL, __u.1)` : "__u.1",
    index: keepEmpty ? `if(empty(${list}), NULL, __u.2)` : "__u.2",
  }),
  profileTable: (table, alias) => `${table} AS ${alias} FINAL`,
};
