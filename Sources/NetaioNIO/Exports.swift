// Users of the socket API need the engine types (Message, Address, HandlerKey, …) too.
@_exported import NetaioCore
