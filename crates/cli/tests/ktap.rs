//! Judging KTAP suite output, as `lunatik test` does.

use lunatik_cli::ktap::{judge, Verdict};

fn fail(reason: &str) -> Verdict {
    Verdict::Fail(reason.to_string())
}

#[test]
fn verdicts() {
    let cases: &[(&str, Option<i32>, &str, Verdict)] = &[
        (
            "all_ok",
            Some(0),
            "KTAP version 1\n1..2\nok 1 a\nok 2 b\n",
            Verdict::Pass,
        ),
        (
            "skip_is_ok",
            Some(0),
            "KTAP version 1\n1..1\nok 1 a # SKIP no device\n",
            Verdict::Pass,
        ),
        (
            "not_ok_with_skip_directive",
            Some(0),
            "1..1\nnot ok 1 a # SKIP later\n",
            Verdict::Pass,
        ),
        (
            "not_ok_with_todo_directive",
            Some(0),
            "1..1\nnot ok 1 a # TODO issue 9\n",
            Verdict::Pass,
        ),
        (
            "diagnostics_are_ignored",
            Some(0),
            "1..1\n# not ok in a comment\nok 1 a\n",
            Verdict::Pass,
        ),
        (
            "subtests_do_not_count_for_the_plan",
            Some(0),
            "1..1\n    KTAP version 1\n    1..2\n    ok 1 x\n    ok 2 y\nok 1 group\n",
            Verdict::Pass,
        ),
        (
            "top_level_not_ok",
            Some(0),
            "1..2\nok 1 a\nnot ok 2 b\n",
            fail("'not ok 2 b'"),
        ),
        (
            "nested_not_ok",
            Some(0),
            "1..1\n    1..1\n    not ok 1 x\nok 1 group\n",
            fail("'not ok 1 x'"),
        ),
        (
            "no_plan",
            Some(0),
            "KTAP version 1\nok 1 a\n",
            fail("no plan line"),
        ),
        (
            "fewer_results_than_planned",
            Some(0),
            "1..3\nok 1 a\n",
            fail("planned 3 results, printed 1"),
        ),
        (
            "nonzero_exit",
            Some(3),
            "1..1\nok 1 a\n",
            fail("run exited with status 3"),
        ),
        ("killed", None, "1..1\n", fail("run was killed by a signal")),
    ];
    for (name, exit, output, verdict) in cases {
        assert_eq!(judge(*exit, output), *verdict, "{name}");
    }
}
