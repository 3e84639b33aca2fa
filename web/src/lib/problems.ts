// What a page says when it cannot show what was asked: a heading, a sentence a student
// understands and whether trying again may help. Never the API's own wording about ids.
import { ApiError } from "./api";

export interface PageProblem {
  title: string;
  sentence: string;
  retry: boolean; // trying again may work (the server or the network was the problem)
}

const LOST = new Set([0, 502, 503, 504]); // 0: the server could not be reached at all

/** The problem to show for what loading `what` ("assignment", "submission", …) threw. */
export function pageProblem(problem: unknown, what: string): PageProblem {
  const status = problem instanceof ApiError ? problem.status : -1;
  if (status === 404 || status === 400 || status === 422) {
    return {
      title: `This ${what} does not exist`,
      sentence: `There is no ${what} at this address: the link may be mistyped, or it was removed. Your other work is untouched.`,
      retry: false,
    };
  }
  if (LOST.has(status)) {
    return {
      title: "Grindstone cannot be reached",
      sentence:
        "Your connection or our server is down for the moment. Nothing you typed is lost: it is kept in this browser. Try again in a moment.",
      retry: true,
    };
  }
  return {
    title: "Something went wrong on our side",
    sentence: "The server could not answer this time. Try again; if it keeps happening, come back a little later.",
    retry: true,
  };
}

/** The page for an address that names no assignment at all. */
export const NO_ASSIGNMENT: PageProblem = {
  title: "No assignment was chosen",
  sentence: "This address does not name an assignment. Go back to the course to pick one up.",
  retry: false,
};
