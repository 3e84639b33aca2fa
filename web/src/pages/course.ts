import { mount } from "svelte";
import "../styles/app.css";
import CoursePage from "./CoursePage.svelte";

mount(CoursePage, { target: document.getElementById("app") as HTMLElement });
