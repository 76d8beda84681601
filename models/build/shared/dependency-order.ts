/**
 * Dependency order of graph nodes, shared by the TFJS graph walker and the int8 quantiser:
 * every node needed for `targets` comes after the nodes it reads from. Iterative post-order DFS,
 * so deep nets (hundreds of layers) do not overflow the stack; a cycle is an error.
 */
export function dependencyOrder<N>(targets: N[], dependencies: (node: N) => N[], describe: (node: N) => string): N[] {
  const order: N[] = [];
  const state = new Map<N, 'open' | 'done'>();
  const stack: Array<{ node: N; deps: N[]; next: number }> = [];
  const push = (node: N) => {
    const s = state.get(node);
    if (s === 'done') return;
    if (s === 'open') throw new Error(`graph has a cycle through ${describe(node)}`);
    state.set(node, 'open');
    stack.push({ node, deps: dependencies(node), next: 0 });
  };
  for (const target of targets) {
    push(target);
    while (stack.length) {
      const top = stack[stack.length - 1]!;
      if (top.next < top.deps.length) {
        push(top.deps[top.next++]!);
        continue;
      }
      stack.pop();
      state.set(top.node, 'done');
      order.push(top.node);
    }
  }
  return order;
}
