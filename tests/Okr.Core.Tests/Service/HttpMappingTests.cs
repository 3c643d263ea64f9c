using Okr.Core.Http;
using Okr.Core.Service;
using Okr.Core.Storage;

namespace Okr.Core.Tests.Service;

/// <summary>Okr.Core's exceptions as RFC 9457 problems, and entity tags with If-Match, as a web API maps them.</summary>
public class HttpMappingTests
{
    [Fact]
    public async Task Every_exception_the_facade_throws_maps_to_a_problem_with_its_status_codes_and_paths_and_no_type_names()
    {
        var clock = TestData.Clock();
        var okr = new OkrService(new InMemoryOkrStore(), clock);
        var tenant = new TenantId(Guid.NewGuid());
        var quarter = await okr.Periods.CreateAsync(tenant, OkrPeriod.CalendarQuarter(PeriodId.New(clock), 2026, 1));

        var invalid = await Assert.ThrowsAsync<OkrValidationException>(() => okr.Objectives.CreateAsync(tenant, Objective.Create(ObjectiveId.New(clock), quarter.Id, new string('x', 300), TestData.Alice, clock)).AsTask());
        var missing = await Assert.ThrowsAsync<OkrNotFoundException>(() => okr.Objectives.GetAsync(tenant, ObjectiveId.New(clock)).AsTask());
        var format = Assert.Throws<OkrFormatException>(() => Okr.Core.Serialization.OkrJson.Deserialize("{\"format\": \"okr/1\", \"tenant\": 5}"));
        var objective = await okr.Objectives.CreateAsync(tenant, Objective.Create(ObjectiveId.New(clock), quarter.Id, "Grow", TestData.Alice, clock));
        var stale = await Assert.ThrowsAsync<OkrConcurrencyException>(() => okr.Objectives.EditAsync(tenant, objective.Id, (o, c) => o.WithTitle("Grow more", c), expectedVersion: objective.Version + 1).AsTask());
        var denied = new OkrAccessDeniedException("You may not change this objective.", TestData.Alice);

        var validation = OkrProblem.From(invalid)!;
        Assert.Equal((400, "urn:okr:problem:validation"), (validation.Status, validation.Type));
        Assert.Contains(validation.Errors, e => e.Code == OkrErrorCodes.TooLong && e.Member == "Title");
        var formatProblem = OkrProblem.From(format)!;
        Assert.Equal((400, "urn:okr:problem:format", format.Path), (formatProblem.Status, formatProblem.Type, Assert.Single(formatProblem.Errors).Member));
        Assert.Equal((404, "urn:okr:problem:not-found"), (OkrProblem.From(missing)!.Status, OkrProblem.From(missing)!.Type));
        Assert.Equal((403, "urn:okr:problem:access-denied"), (OkrProblem.From(denied)!.Status, OkrProblem.From(denied)!.Type));
        Assert.Equal(409, OkrProblem.From(stale)!.Status);
        Assert.Equal((412, "urn:okr:problem:precondition-failed"), (OkrProblem.From(stale, versionFromIfMatch: true)!.Status, OkrProblem.From(stale, versionFromIfMatch: true)!.Type));
        Assert.Null(OkrProblem.From(new InvalidOperationException("the host's own bug")));

        // Nothing in a problem names a .NET type: the titles are fixed, the details are the library's messages.
        foreach (var problem in new[] { validation, formatProblem, OkrProblem.From(missing)!, OkrProblem.From(denied)!, OkrProblem.From(stale)! })
        {
            var text = string.Join(" ", [problem.Title, problem.Detail, .. problem.Errors.Select(e => e.Message)]);
            Assert.DoesNotContain("Exception", text, StringComparison.Ordinal);
            Assert.DoesNotContain("Okr.Core.", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task An_ETag_read_with_an_objective_is_the_If_Match_that_guards_its_next_write()
    {
        var clock = TestData.Clock();
        var okr = new OkrService(new InMemoryOkrStore(), clock);
        var tenant = new TenantId(Guid.NewGuid());
        var quarter = await okr.Periods.CreateAsync(tenant, OkrPeriod.CalendarQuarter(PeriodId.New(clock), 2026, 1));
        var objective = await okr.Objectives.CreateAsync(tenant, Objective.Create(ObjectiveId.New(clock), quarter.Id, "Grow", TestData.Alice, clock));
        var etag = OkrETag.For(objective);
        Assert.Equal($"\"{objective.Id}:1\"", etag);
        Assert.Equal($"\"{quarter.Id}:1\"", OkrETag.For(quarter));

        // The first writer's If-Match holds; the second's, read before that write, is stale.
        var id = objective.Id.ToString();
        await okr.Objectives.EditAsync(tenant, objective.Id, (o, c) => o.WithTitle("Grow sales", c), OkrETag.ExpectedVersion(etag, id));
        var late = await Assert.ThrowsAsync<OkrConcurrencyException>(() => okr.Objectives.EditAsync(tenant, objective.Id, (o, c) => o.WithTitle("Grow margins", c), OkrETag.ExpectedVersion(etag, id)).AsTask());
        Assert.Equal(412, OkrProblem.From(late, versionFromIfMatch: true)!.Status);

        // Several tags, any version, none.
        Assert.Equal(2, OkrETag.ExpectedVersion($"\"{Guid.NewGuid()}:7\", \"{id}:2\"", id));
        Assert.Null(OkrETag.ExpectedVersion("*", id));
        Assert.Null(OkrETag.ExpectedVersion(null, id));

        // A condition that cannot be checked is refused, never dropped.
        foreach (var bad in new[] { $"W/\"{id}:2\"", "\"2\"", $"{id}:2", $"\"{id}:two\"", $"\"{Guid.NewGuid()}:2\"" })
        {
            var error = Assert.Throws<OkrValidationException>(() => OkrETag.ExpectedVersion(bad, id));
            Assert.Equal((OkrErrorCodes.Invalid, "If-Match"), (Assert.Single(error.Violations).Code, error.Violations[0].Member));
        }
    }
}
