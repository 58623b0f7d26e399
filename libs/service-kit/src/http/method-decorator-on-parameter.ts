import 'reflect-metadata';

/**
 * Applies a method decorator (an OpenAPI annotation) from a parameter decorator, so that one
 * decorator on a parameter both binds it and documents it.
 */
export function methodDecoratorOnParameter(
  decorator: MethodDecorator,
  target: object,
  propertyKey: string | symbol | undefined,
): void {
  if (propertyKey === undefined) return;
  const descriptor = Object.getOwnPropertyDescriptor(target, propertyKey);
  if (descriptor) decorator(target, propertyKey, descriptor);
}

/**
 * Makes the parameter's reflected TypeScript type plain `Object`. A parameter typed with a zod
 * schema's inferred type of the same name (`body: PlaceOrderRequest`) reflects the schema object
 * itself, which Swagger would try to read as a class; the schema documents the parameter instead.
 */
export function eraseReflectedType(
  target: object,
  propertyKey: string | symbol | undefined,
  index: number,
): void {
  if (propertyKey === undefined) return;
  const types = Reflect.getMetadata('design:paramtypes', target, propertyKey) as unknown[] | undefined;
  if (!types) return;
  const erased = [...types];
  erased[index] = Object;
  Reflect.defineMetadata('design:paramtypes', erased, target, propertyKey);
}
