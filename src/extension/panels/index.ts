/** The result panels' host side: the manager the extension creates on first use, and the reload serializers. */
import * as vscode from 'vscode';
import { PANEL_KINDS } from '../../protocol/panels';
import { PanelManager, viewType } from './manager';
import { checkPanelContext } from './validate';

export { PanelManager, viewType };

/**
 * Lets VS Code restore open panels after a window reload. The state comes from the webview, so it is checked
 * (known kind, a project inside the workspace, plain run ids) before a panel is rebuilt from it.
 */
export function registerPanelSerializers(
  context: vscode.ExtensionContext,
  manager: () => PanelManager,
): void {
  for (const kind of PANEL_KINDS) {
    context.subscriptions.push(
      vscode.window.registerWebviewPanelSerializer(viewType(kind), {
        deserializeWebviewPanel: async (panel: vscode.WebviewPanel, state: unknown) => {
          const folders = (vscode.workspace.workspaceFolders ?? []).map((folder) => folder.uri.fsPath);
          const checked = checkPanelContext(state, folders);
          if (!checked.ok || checked.value.kind !== kind) {
            panel.dispose();
            return;
          }
          manager().revive(panel, checked.value);
        },
      }),
    );
  }
}
