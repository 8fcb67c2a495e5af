using UpmDurable.Core.Model;

namespace UpmDurable.Storage;

/// <summary>A stored before-image and the sha256 of its exact stored bytes.</summary>
public sealed record StoredBeforeImage(BeforeImage Image, string Sha256);
