// The escp extension: starts `escp lsp` for consortium files
// (consortium.toml, *.consortium.toml) and passes the `escp.*` settings to
// it. Everything else (diagnostics, hover, completion, quick fixes) is the
// language server's.
'use strict';

const vscode = require('vscode');
const { LanguageClient, TransportKind } = require('vscode-languageclient/node');

/** The files escp checks, whatever language VS Code gave them. */
const DOCUMENTS = [
  { scheme: 'file', pattern: '**/consortium.toml' },
  { scheme: 'file', pattern: '**/*.consortium.toml' },
];

let client;

function settings() {
  const config = vscode.workspace.getConfiguration('escp');
  return {
    command: config.get('path') || 'escp',
    options: {
      calls: config.get('calls') || [],
      docsUrl: config.get('docsUrl') || undefined,
    },
  };
}

async function start() {
  const { command, options } = settings();
  client = new LanguageClient(
    'escp',
    'escp',
    { command, args: ['lsp'], transport: TransportKind.stdio },
    {
      documentSelector: DOCUMENTS,
      initializationOptions: options,
      // Changes of the escp.* settings reach the server as
      // workspace/didChangeConfiguration: {"settings": {"escp": {...}}}.
      synchronize: { configurationSection: 'escp' },
    },
  );
  await client.start();
}

async function restart() {
  if (client) {
    await client.stop();
    client = undefined;
  }
  await start();
}

async function activate(context) {
  context.subscriptions.push(
    vscode.commands.registerCommand('escp.restart', restart),
    vscode.workspace.onDidChangeConfiguration((event) => {
      // Another executable needs another server; other settings are sent
      // to the running one.
      if (event.affectsConfiguration('escp.path')) {
        restart().catch((error) => vscode.window.showErrorMessage(`escp: ${error}`));
      }
    }),
  );
  try {
    await start();
  } catch (error) {
    vscode.window.showErrorMessage(
      `escp: cannot start "${settings().command} lsp" (${error}); install escp or set escp.path`,
    );
  }
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
