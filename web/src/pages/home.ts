import { mount } from "svelte";
import "../styles/app.css";
import HomePage from "./HomePage.svelte";

mount(HomePage, { target: document.getElementById("app") as HTMLElement });
