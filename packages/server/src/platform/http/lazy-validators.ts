import { AjvCompiler, type ValidatorFactory } from "@fastify/ajv-compiler";

type Validate = ReturnType<ReturnType<ValidatorFactory>>;

/**
 * Fastify's own Ajv compiler, but each route's validator is compiled on the route's first request instead of at
 * start-up: compiling every schema of ~120 routes was about 260 ms of a 670 ms start (a CPU profile of
 * `startCairn`), and its garbage most of the start's collector time. The validators are the same; a request
 * pays its route's compilation once. A schema Ajv cannot compile would fail its route's first request instead
 * of start-up, so a test compiles every pending validator of a started server (`compilePendingValidators`).
 */
const pending = new Set<() => void>();

/** Compiles every validator not compiled yet, throwing Ajv's error for a bad schema; returns how many. */
export function compilePendingValidators(): number {
  const count = pending.size;
  for (const compileNow of pending) compileNow();
  return count;
}

type Compile = ReturnType<ValidatorFactory>;

function lazyValidator(compile: Compile, route: Parameters<Compile>[0]): Validate {
  let validate: Validate | undefined;
  const compileNow = () => {
    validate ??= compile(route);
    pending.delete(compileNow);
    return validate;
  };
  pending.add(compileNow);
  // Fastify reads the Ajv-style `errors` property off the function it was given after a failed call.
  const lazily = ((...args: Parameters<Validate>) => {
    const ready = validate ?? compileNow();
    const result = ready(...args);
    lazily.errors = ready.errors;
    return result;
  }) as Validate;
  return lazily;
}

export function lazyValidatorCompilers(): ValidatorFactory {
  const compilerFor = AjvCompiler();
  return function buildLazyValidator(externalSchemas, ajvOptions) {
    const compile = compilerFor(externalSchemas, ajvOptions);
    return (route) => lazyValidator(compile, route);
  };
}

let strictCompile: Compile | undefined;

/**
 * A route's `validatorCompiler` that takes values as sent: Fastify's default Ajv coerces types (`123` becomes
 * `"123"`, a lone string becomes a one-item array), so a body of the wrong type would pass as something else.
 * Lazy like the others. For routes whose params and querystring are strings, as these arrive.
 */
export function strictValidatorCompiler(route: Parameters<Compile>[0]): Validate {
  strictCompile ??= AjvCompiler()({}, { customOptions: { coerceTypes: false, removeAdditional: false } });
  return lazyValidator(strictCompile, route);
}
