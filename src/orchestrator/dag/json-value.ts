/** A JSON value: what a DAG's params, an operator's settings and a task's return value may hold. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export type JsonObject = { [key: string]: JsonValue };

/**
 * What a task may return: a JSON value, stored as its `return_value` result, or nothing (stored as null). A Date, a
 * Map, a class instance or `undefined` inside an object is a compile error where this type is asked for.
 * (An `interface` type is not assignable to an index signature: return a `type` alias or an object literal.)
 */
export type TaskResult = JsonValue | void;

/** The value downstream tasks receive for a task returning `R`: nothing becomes null. */
export type ResultValue<R> = [R] extends [void] ? null : Exclude<R, void>;
