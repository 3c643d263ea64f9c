using FsCheck;
using FsCheck.Fluent;
using NodaTime;
using Okr.Core;
using Okr.Core.Serialization;

namespace Okr.Testing;

/// <summary>
/// FsCheck arbitraries for the model, for <c>[Property(Arbitrary = new[] { typeof(OkrArbitraries) })]</c>.
/// Shrinking is not provided: the generators are small enough to read a counter-example.
/// </summary>
public static class OkrArbitraries
{
    /// <summary>Instants with nanosecond precision.</summary>
    /// <returns>The arbitrary.</returns>
    public static Arbitrary<Instant> Instant() => OkrGen.Instant.ToArbitrary();

    /// <summary>Owners.</summary>
    /// <returns>The arbitrary.</returns>
    public static Arbitrary<OwnerRef> Owner() => OkrGen.Owner.ToArbitrary();

    /// <summary>Units.</summary>
    /// <returns>The arbitrary.</returns>
    public static Arbitrary<MeasureUnit> Unit() => OkrGen.Unit.ToArbitrary();

    /// <summary>Measures of all types.</summary>
    /// <returns>The arbitrary.</returns>
    public static Arbitrary<Measure> Measure() => OkrGen.Measure.ToArbitrary();

    /// <summary>Key results.</summary>
    /// <returns>The arbitrary.</returns>
    public static Arbitrary<KeyResult> KeyResult() => OkrGen.KeyResult.ToArbitrary();

    /// <summary>Periods.</summary>
    /// <returns>The arbitrary.</returns>
    public static Arbitrary<OkrPeriod> Period() => OkrGen.Period.ToArbitrary();

    /// <summary>Objectives.</summary>
    /// <returns>The arbitrary.</returns>
    public static Arbitrary<Objective> Objective() => OkrGen.Objective.ToArbitrary();

    /// <summary>Whole documents.</summary>
    /// <returns>The arbitrary.</returns>
    public static Arbitrary<OkrDocument> Document() => OkrGen.Document.ToArbitrary();

    /// <summary>Objective ids.</summary>
    /// <returns>The arbitrary.</returns>
    public static Arbitrary<ObjectiveId> ObjectiveId() => OkrGen.ObjectiveId.ToArbitrary();

    /// <summary>Check-in ids.</summary>
    /// <returns>The arbitrary.</returns>
    public static Arbitrary<CheckInId> CheckInId() => OkrGen.CheckInId.ToArbitrary();
}
