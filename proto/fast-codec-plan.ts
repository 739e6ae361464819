/** A message's fields as a flat plan read from proto-loader's descriptors: what the fast result codec walks. */

/** Scalar field types the fast codec handles; anything else (enums, signed or fixed ints, floats) is not planned. */
export type ScalarKind = 'string' | 'bytes' | 'double' | 'uint32' | 'uint64' | 'bool';

/** One field, by number. */
export interface FieldPlan {
  readonly name: string;
  readonly id: number;
  readonly repeated: boolean;
  /** A scalar kind, a message plan, or a `map<string, scalar>` (`mapValue`). */
  readonly kind: ScalarKind | 'message' | 'map';
  readonly message?: MessagePlan;
  readonly mapValue?: ScalarKind;
}

/** A message's fields sorted by number, as protobufjs encodes them. */
export interface MessagePlan {
  readonly name: string;
  readonly fields: readonly FieldPlan[];
  readonly byId: ReadonlyMap<number, FieldPlan>;
}

/** The part of proto-loader's DescriptorProto (as a plain object) the plan reads. */
interface FieldDescriptor {
  readonly name: string;
  readonly number: number;
  readonly label: string;
  readonly type: string;
  readonly typeName: string;
  readonly oneofIndex?: number;
  readonly proto3Optional?: boolean;
  readonly options?: { readonly packed?: boolean } | null;
}
interface MessageDescriptor {
  readonly name: string;
  readonly field: readonly FieldDescriptor[];
  readonly nestedType?: readonly MessageDescriptor[];
  readonly oneofDecl?: readonly unknown[];
  readonly options?: { readonly mapEntry?: boolean } | null;
}

const SCALARS: Readonly<Record<string, ScalarKind>> = {
  TYPE_STRING: 'string',
  TYPE_BYTES: 'bytes',
  TYPE_DOUBLE: 'double',
  TYPE_UINT32: 'uint32',
  TYPE_UINT64: 'uint64',
  TYPE_BOOL: 'bool',
};

class Unsupported extends Error {}

/**
 * The plan of message `fullName` (e.g. `fedfin.v1.ResultHeader`) in a proto-loader package definition, or
 * undefined when the message (or one it nests) uses anything the fast codec does not reproduce exactly:
 * oneofs, proto3 `optional`, enums, signed/fixed/float types, unpacked repeated scalars, non-string map keys,
 * message-valued maps. A field added later with such a type turns the fast path off rather than mis-encoding.
 */
export function planMessage(definitions: Readonly<Record<string, unknown>>, fullName: string): MessagePlan | undefined {
  const plans = new Map<string, MessagePlan>();
  const typeOf = (name: string): MessageDescriptor => {
    const t = (definitions[name] as { type?: MessageDescriptor } | undefined)?.type;
    if (!t || !Array.isArray(t.field)) throw new Unsupported(`no message ${name}`);
    return t;
  };
  const plan = (name: string, d: MessageDescriptor, pkg: string): MessagePlan => {
    const hit = plans.get(name);
    if (hit) return hit;
    if ((d.oneofDecl?.length ?? 0) > 0) throw new Unsupported(`${name} has a oneof`);
    const fields: FieldPlan[] = [];
    const out: MessagePlan = { name, fields, byId: new Map() };
    plans.set(name, out); // before the fields: a recursive message refers to itself
    for (const f of d.field) {
      if (f.proto3Optional === true) throw new Unsupported(`${name}.${f.name} is optional`);
      const repeated = f.label === 'LABEL_REPEATED';
      if (!repeated && f.label !== 'LABEL_OPTIONAL') throw new Unsupported(`${name}.${f.name} is ${f.label}`);
      const scalar = SCALARS[f.type];
      if (scalar) {
        if (repeated && scalar !== 'string' && scalar !== 'bytes' && f.options?.packed === false) throw new Unsupported(`${name}.${f.name} is unpacked`);
        fields.push({ name: f.name, id: f.number, repeated, kind: scalar });
        continue;
      }
      if (f.type !== 'TYPE_MESSAGE') throw new Unsupported(`${name}.${f.name} is ${f.type}`);
      const nested = d.nestedType?.find((n) => n.name === f.typeName);
      if (nested?.options?.mapEntry === true) {
        const [k, v] = [nested.field.find((x) => x.number === 1), nested.field.find((x) => x.number === 2)];
        const value = v ? SCALARS[v.type] : undefined;
        if (!repeated || k?.type !== 'TYPE_STRING' || !value || nested.field.length !== 2) throw new Unsupported(`${name}.${f.name} is not a map<string, scalar>`);
        fields.push({ name: f.name, id: f.number, repeated: false, kind: 'map', mapValue: value });
        continue;
      }
      if (nested) throw new Unsupported(`${name}.${f.name}: nested message types are not planned`);
      const ref = f.typeName.startsWith('.') ? f.typeName.slice(1) : f.typeName.includes('.') ? f.typeName : `${pkg}.${f.typeName}`;
      const child = typeOf(ref);
      fields.push({ name: f.name, id: f.number, repeated, kind: 'message', message: plan(ref, child, ref.slice(0, ref.lastIndexOf('.'))) });
    }
    fields.sort((a, b) => a.id - b.id);
    for (const f of fields) (out.byId as Map<number, FieldPlan>).set(f.id, f);
    return out;
  };
  try {
    return plan(fullName, typeOf(fullName), fullName.slice(0, fullName.lastIndexOf('.')));
  } catch (err) {
    if (err instanceof Unsupported) return undefined;
    throw err;
  }
}
