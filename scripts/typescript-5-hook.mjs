// openapi-typescript builds its output with the TypeScript 5 compiler API; the project's TypeScript 7 (native) has
// none. This resolve hook gives openapi-typescript the `typescript-5` package (npm:typescript@5) and nobody else.
export async function resolve(specifier, context, nextResolve) {
  if (specifier === 'typescript' && context.parentURL?.includes('/node_modules/openapi-typescript/'))
    return nextResolve('typescript-5', context);
  return nextResolve(specifier, context);
}
