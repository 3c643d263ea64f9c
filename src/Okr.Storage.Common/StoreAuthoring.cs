namespace Okr.Core.Storage;

// The shared source declares these types without an access modifier, so Okr.Core compiles them as internal; this
// package adds the modifier that makes them its public API.

/// <content>Public in this package.</content>
public static partial class StoreRules;

/// <content>Public in this package.</content>
public static partial class OkrStoreFormat;

/// <content>Public in this package.</content>
public partial interface IOkrCommitTarget;
