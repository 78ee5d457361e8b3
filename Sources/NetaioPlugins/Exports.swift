// Plugins build on the wire types; re-export them so `import NetaioPlugins` is enough.
@_exported import NetaioWire
