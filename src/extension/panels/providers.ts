/** Every panel kind's provider, by kind: the one table the generic manager reads. */
import type { PanelKind } from '../../protocol/panels';
import { comparePanel } from './compare';
import { evaluatePanel } from './evaluate';
import { finalPanel } from './final';
import { improvePanel } from './improve';
import { preparePanel } from './prepare';
import { profilePanel } from './profile';
import type { PanelProvider } from './provider';
import { trainingPanel } from './training';

/**
 * The provider of each kind; the compiler asks for a new kind here. A provider's state is opaque to the
 * manager, which only hands it back to the same provider.
 */
export const panelProviders: { readonly [Kind in PanelKind]: PanelProvider<Kind, unknown> } = {
  training: trainingPanel,
  evaluate: evaluatePanel,
  improve: improvePanel,
  profile: profilePanel,
  prepare: preparePanel,
  compare: comparePanel,
  final: finalPanel,
};

/** The provider of a kind, as the generic manager calls it. */
export function providerOf(kind: PanelKind): PanelProvider<PanelKind, unknown> {
  return panelProviders[kind];
}
